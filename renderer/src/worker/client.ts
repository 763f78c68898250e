/**
 * The UI side of the solver worker. A job in a worker cannot be interrupted, so cancel terminates the worker
 * and starts a fresh one; the pending calls reject with CancelledError.
 */
import * as Comlink from 'comlink';
import type { ProgressCallback, SolverApi } from './api';
import { CancelledError } from './cancelled';

export { CancelledError };

type Method = keyof SolverApi;
type Req<M extends Method> = Parameters<SolverApi[M]>[0];
type Res<M extends Method> = Awaited<ReturnType<SolverApi[M]>>;

export class SolverClient {
  private worker!: Worker;
  private remote!: Comlink.Remote<SolverApi>;
  private rejects = new Set<(e: Error) => void>();

  constructor(private readonly label: string) {
    this.spawn();
  }

  private spawn(): void {
    this.worker = new Worker(new URL('./solver.worker.ts', import.meta.url), {
      type: 'module',
      name: this.label,
    });
    this.remote = Comlink.wrap<SolverApi>(this.worker);
  }

  /** Call a worker method; progress callbacks are proxied back to this thread. */
  call<M extends Method>(method: M, req: Req<M>, onProgress?: ProgressCallback): Promise<Res<M>> {
    return new Promise<Res<M>>((resolve, reject) => {
      this.rejects.add(reject);
      const fn = this.remote[method] as unknown as (r: unknown, p?: unknown) => Promise<Res<M>>;
      fn(req, onProgress ? Comlink.proxy(onProgress) : undefined)
        .then(resolve, reject)
        .finally(() => this.rejects.delete(reject));
    });
  }

  get busy(): boolean {
    return this.rejects.size > 0;
  }

  cancel(): void {
    if (!this.busy) return;
    this.worker.terminate();
    for (const r of this.rejects) r(new CancelledError());
    this.rejects.clear();
    this.spawn();
  }

  dispose(): void {
    this.worker.terminate();
  }
}
