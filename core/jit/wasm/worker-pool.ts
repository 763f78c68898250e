/**
 * A pool of worker threads for jit's case-by-case runs, whatever the host's workers are (Node's
 * worker_threads, the browser's Web Workers): each worker instantiates a program once, then runs the cases
 * it takes, reading inputs from and writing outputs to shared memory. Hosts supply a port per worker and the
 * two lines that receive and post messages (node-threads.ts, browser-threads.ts). Cases come from a queue
 * shared with the calling thread (pool.ts's CaseQueue; the worker's loop is takeCase written out).
 */
import type { CasePool, CaseQueue, SharedCases } from './pool';
import type { WasmProgram } from './program';

/**
 * The worker's code after the host's prologue, which defines `onJob(handler)` and `post(message)` (plain
 * JavaScript, our own: it instantiates programs and runs case ranges).
 */
export const WORKER_BODY = `
const programs = new Map();
const MATH = { sin: Math.sin, cos: Math.cos, tan: Math.tan, exp: Math.exp, log: Math.log, tanh: Math.tanh, pow: Math.pow };
const view = (mem, r) => {
  const n = r.shape.reduce((a, b) => a * b, 1);
  const T = r.dtype === 'float32' ? Float32Array : r.dtype === 'float64' ? Float64Array : Int32Array;
  return new T(mem.buffer, r.addr, n);
};
onJob(async (m) => {
  try {
    let p = programs.get(m.id);
    if (!p) {
      // compiled here, not asynchronously: workers may, and the answer does not wait on background threads
      const instance = new WebAssembly.Instance(new WebAssembly.Module(m.program.bytes), { Math: MATH });
      const memory = instance.exports.memory;
      for (const c of m.program.consts) view(memory, c).set(c.data);
      p = { memory, run: instance.exports.run, program: m.program };
      programs.set(m.id, p);
    }
    const { inputs, outputs } = p.program;
    const outPer = outputs.map((r) => r.shape.reduce((a, b) => a * b, 1));
    for (let b; (b = Atomics.add(m.queue.next, 0, 1)) < m.queue.end; ) {
      inputs.forEach((r, i) => {
        const x = m.cases.inputs[i];
        view(p.memory, r).set(x.per ? x.data.subarray(b * x.per, (b + 1) * x.per) : x.data);
      });
      p.run();
      outputs.forEach((r, k) => m.cases.outputs[k].set(view(p.memory, r), b * outPer[k]));
    }
    post({ ok: true });
  } catch (e) {
    post({ ok: false, message: String((e && e.message) || e) });
  }
});
`;

/** What the pool needs of a worker: send it a job; it answers each job with one message. */
export interface WorkerPort {
  postMessage(message: unknown): void;
}
export type WorkerReply = { ok: boolean; message?: string };

const ids = new WeakMap<WasmProgram, number>();
let nextId = 0;

interface Job {
  readonly message: object;
  resolve(): void;
  reject(e: Error): void;
}

export class WorkerCasePool implements CasePool {
  /** Workers start on their first job: installing a pool costs nothing until a batch is large enough. */
  private readonly ports: (WorkerPort | null)[];
  /** Programs each worker has instantiated. */
  private readonly loaded: Set<number>[];
  /** Per worker: the job it is running (first) and the ones waiting. */
  private readonly jobs: Job[][];

  /** `spawn(onReply)` starts a worker whose replies go to `onReply`. */
  constructor(
    readonly size: number,
    private readonly spawn: (onReply: (m: WorkerReply) => void) => WorkerPort,
  ) {
    this.ports = Array.from({ length: size }, () => null);
    this.loaded = this.ports.map(() => new Set());
    this.jobs = this.ports.map(() => []);
  }

  private port(w: number): WorkerPort {
    let p = this.ports[w];
    if (!p) {
      p = this.spawn((m) => this.finished(w, m));
      this.ports[w] = p;
    }
    return p;
  }

  shared(dtype: 'float32' | 'float64' | 'int32', length: number) {
    const T = dtype === 'float32' ? Float32Array : dtype === 'float64' ? Float64Array : Int32Array;
    const buffer = new SharedArrayBuffer(Math.max(1, length) * T.BYTES_PER_ELEMENT);
    // typed arrays over shared memory behave as over an ArrayBuffer; TypeScript's lib types them apart
    return new T(buffer as unknown as ArrayBuffer, 0, length);
  }

  /**
   * Queue a job on worker `w`: take cases from `queue` until none is left. An idle worker is sent the job at
   * once, synchronously: the caller takes cases next without yielding, and the worker should start meanwhile.
   */
  run(w: number, program: WasmProgram, cases: SharedCases, queue: CaseQueue): Promise<void> {
    let id = ids.get(program);
    if (id === undefined) {
      id = nextId++;
      ids.set(program, id);
    }
    const first = !this.loaded[w]!.has(id);
    this.loaded[w]!.add(id);
    return new Promise<void>((resolve, reject) => {
      const jobs = this.jobs[w]!;
      jobs.push({ message: { id, program: first ? program : null, cases, queue }, resolve, reject });
      if (jobs.length === 1) this.port(w).postMessage(jobs[0]!.message);
    });
  }

  private finished(w: number, m: WorkerReply): void {
    const jobs = this.jobs[w]!;
    const job = jobs.shift();
    if (jobs.length) this.port(w).postMessage(jobs[0]!.message);
    if (m.ok) job?.resolve();
    else job?.reject(new Error(`jit wasm worker: ${m.message}`));
  }
}
