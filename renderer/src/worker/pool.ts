/**
 * A small pool of solver workers behind the same typed API: each method runs on the worker of its lane, so
 * calls in different lanes run side by side (the θ-hessian does not wait for the gradient) while each
 * program is compiled in one worker only. A lane's worker starts on its first call.
 */
import type { ProgressCallback, SolverApi } from './api';

type Method = keyof SolverApi;
type Req<M extends Method> = Parameters<SolverApi[M]>[0];
type Res<M extends Method> = Awaited<ReturnType<SolverApi[M]>>;
/** What the pool needs of a worker (SolverClient in the app). */
export interface PoolClient {
  call<M extends Method>(method: M, req: Req<M>, onProgress?: ProgressCallback): Promise<Res<M>>;
  cancel(): void;
  dispose(): void;
}

/** One method of the pool: its worker starts on the first call, and cancel touches only that worker. */
export interface Lane<M extends Method> {
  call(req: Req<M>, onProgress?: ProgressCallback): Promise<Res<M>>;
  cancel(): void;
}

/** The live derivative panels' lanes: the gradient, the jvp field with the record Jacobian, the hessian. */
export const DERIVATIVE_LANES: readonly (readonly Method[])[] = [
  ['grad'],
  ['jvp', 'recordJacobian'],
  ['hessian'],
];

export class SolverPool<C extends PoolClient = PoolClient> {
  private readonly clients = new Map<number, C>();
  private readonly handles = new Map<Method, Lane<Method>>();

  constructor(
    private readonly label: string,
    private readonly lanes: readonly (readonly Method[])[],
    private readonly start: (label: string) => C,
  ) {
    const seen = new Set<Method>();
    for (const m of lanes.flat()) {
      if (seen.has(m)) throw new Error(`SolverPool ${label}: method '${m}' is in more than one lane`);
      seen.add(m);
    }
  }

  /** `method` on its lane's worker (the same handle every time). */
  lane<M extends Method>(method: M): Lane<M> {
    let handle = this.handles.get(method);
    if (!handle) {
      const lane = this.laneOf(method);
      handle = {
        call: (req, onProgress) => this.clientFor(method).call(method, req as never, onProgress),
        cancel: () => this.clients.get(lane)?.cancel(),
      };
      this.handles.set(method, handle);
    }
    return handle as unknown as Lane<M>;
  }

  /** The worker that runs `method`, started now if it is not yet. */
  clientFor(method: Method): C {
    const lane = this.laneOf(method);
    let client = this.clients.get(lane);
    if (!client) {
      client = this.start(`${this.label} ${lane + 1}: ${this.lanes[lane]!.join(', ')}`);
      this.clients.set(lane, client);
    }
    return client;
  }

  private laneOf(method: Method): number {
    const lane = this.lanes.findIndex((l) => l.includes(method));
    if (lane < 0)
      throw new Error(
        `SolverPool ${this.label}: no lane runs '${method}' (lanes: ${this.lanes.map((l) => l.join('+')).join(', ')})`,
      );
    return lane;
  }

  /** Workers started so far. */
  get started(): number {
    return this.clients.size;
  }

  dispose(): void {
    for (const c of this.clients.values()) c.dispose();
    this.clients.clear();
  }
}
