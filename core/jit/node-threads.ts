/**
 * Node adapter: worker threads for jit's case-by-case runs on core's WebAssembly target (the pool itself is
 * host-neutral: wasm/worker-pool.ts), so a batch splits across cores without copying results back.
 *
 *   import { installNodeThreads } from './core/jit/node-threads';
 *   installNodeThreads();            // one worker per core beyond this one
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { setCasePool } from './wasm/pool';
import { WORKER_BODY, WorkerCasePool, type WorkerReply } from './wasm/worker-pool';

const PROLOGUE = `
const { parentPort } = require('node:worker_threads');
const onJob = (handle) => parentPort.on('message', handle);
const post = (m) => parentPort.postMessage(m);
`;

/**
 * Start `threads` worker threads (default: one per core beyond the calling thread) for jit's case-by-case
 * runs. Returns how many were started (0 where SharedArrayBuffer is missing).
 */
export function installNodeThreads(threads = availableParallelism() - 1): number {
  if (typeof SharedArrayBuffer === 'undefined' || threads < 1) {
    setCasePool(null);
    return 0;
  }
  setCasePool(
    new WorkerCasePool(threads, (onReply) => {
      const worker = new Worker(PROLOGUE + WORKER_BODY, { eval: true });
      // A worker holds the process open only while it has a job (one reply per job): an idle pool must not
      // keep a finished script alive, and a busy one must, or Node exits while this thread awaits its reply.
      let jobs = 0;
      worker.on('message', (m: WorkerReply) => {
        if (--jobs === 0) worker.unref();
        onReply(m);
      });
      worker.unref(); // after the listener, whose adding refs the worker's port again
      return {
        postMessage(message: unknown) {
          if (jobs++ === 0) worker.ref();
          worker.postMessage(message);
        },
      };
    }),
  );
  return threads;
}
