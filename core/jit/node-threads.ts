/**
 * Node adapter: worker threads for jit's case-by-case runs on core's WebAssembly target. Each worker
 * instantiates a program once, then runs ranges of cases, reading inputs from and writing outputs to
 * SharedArrayBuffers, so a batch splits across cores without copying results back.
 *
 *   import { installNodeThreads } from './core/jit/node-threads';
 *   installNodeThreads();            // one worker per core beyond this one
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type CasePool, type SharedCases, setCasePool } from './wasm/pool';
import type { WasmProgram } from './wasm/program';

/** The worker's code (plain JavaScript, our own: it instantiates programs and runs case ranges). */
const WORKER = `
const { parentPort } = require('node:worker_threads');
const programs = new Map();
const MATH = { sin: Math.sin, cos: Math.cos, tan: Math.tan, exp: Math.exp, log: Math.log, tanh: Math.tanh, pow: Math.pow };
const view = (mem, r) => {
  const n = r.shape.reduce((a, b) => a * b, 1);
  const T = r.dtype === 'float32' ? Float32Array : r.dtype === 'float64' ? Float64Array : Int32Array;
  return new T(mem.buffer, r.addr, n);
};
parentPort.on('message', async (m) => {
  try {
    let p = programs.get(m.id);
    if (!p) {
      const { instance } = await WebAssembly.instantiate(m.program.bytes, { Math: MATH });
      const memory = instance.exports.memory;
      for (const c of m.program.consts) view(memory, c).set(c.data);
      p = { memory, run: instance.exports.run, program: m.program };
      programs.set(m.id, p);
    }
    const { inputs, outputs } = p.program;
    const outPer = outputs.map((r) => r.shape.reduce((a, b) => a * b, 1));
    for (let b = m.lo; b < m.hi; b++) {
      inputs.forEach((r, i) => {
        const x = m.cases.inputs[i];
        view(p.memory, r).set(x.per ? x.data.subarray(b * x.per, (b + 1) * x.per) : x.data);
      });
      p.run();
      outputs.forEach((r, k) => m.cases.outputs[k].set(view(p.memory, r), b * outPer[k]));
    }
    parentPort.postMessage({ ok: true });
  } catch (e) {
    parentPort.postMessage({ ok: false, message: String(e && e.message || e) });
  }
});
`;

const ids = new WeakMap<WasmProgram, number>();
let nextId = 0;

interface Job {
  readonly message: object;
  resolve(): void;
  reject(e: Error): void;
}

class NodeCasePool implements CasePool {
  private readonly workers: Worker[];
  /** Programs each worker has instantiated. */
  private readonly loaded: Set<number>[];
  /** Per worker: the job it is running (first) and the ones waiting. */
  private readonly queues: Job[][];

  constructor(readonly size: number) {
    this.workers = Array.from({ length: size }, (_, w) => {
      const worker = new Worker(WORKER, { eval: true });
      worker.unref();
      worker.on('message', (m: { ok: boolean; message?: string }) => this.finished(w, m));
      return worker;
    });
    this.loaded = this.workers.map(() => new Set());
    this.queues = this.workers.map(() => []);
  }

  shared(dtype: 'float32' | 'float64' | 'int32', length: number) {
    const T = dtype === 'float32' ? Float32Array : dtype === 'float64' ? Float64Array : Int32Array;
    const buffer = new SharedArrayBuffer(Math.max(1, length) * T.BYTES_PER_ELEMENT);
    // typed arrays over shared memory behave as over an ArrayBuffer; TypeScript's lib types them apart
    return new T(buffer as unknown as ArrayBuffer, 0, length);
  }

  /**
   * Queue cases [lo, hi) on worker `w`. An idle worker is sent the job at once, synchronously: the caller
   * usually computes its own share next without yielding, and the worker must already be running by then.
   */
  run(w: number, program: WasmProgram, cases: SharedCases, lo: number, hi: number): Promise<void> {
    let id = ids.get(program);
    if (id === undefined) {
      id = nextId++;
      ids.set(program, id);
    }
    const first = !this.loaded[w]!.has(id);
    this.loaded[w]!.add(id);
    return new Promise<void>((resolve, reject) => {
      const queue = this.queues[w]!;
      queue.push({ message: { id, program: first ? program : null, cases, lo, hi }, resolve, reject });
      if (queue.length === 1) this.workers[w]!.postMessage(queue[0]!.message);
    });
  }

  private finished(w: number, m: { ok: boolean; message?: string }): void {
    const queue = this.queues[w]!;
    const job = queue.shift();
    if (queue.length) this.workers[w]!.postMessage(queue[0]!.message);
    if (m.ok) job?.resolve();
    else job?.reject(new Error(`jit wasm worker: ${m.message}`));
  }
}

/**
 * Start `threads` worker threads (default: one per core beyond the calling thread) for jit's case-by-case
 * runs. Returns how many were started (0 where SharedArrayBuffer is missing).
 */
export function installNodeThreads(threads = availableParallelism() - 1): number {
  if (typeof SharedArrayBuffer === 'undefined' || threads < 1) {
    setCasePool(null);
    return 0;
  }
  setCasePool(new NodeCasePool(threads));
  return threads;
}
