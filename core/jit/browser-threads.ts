/**
 * Browser adapter: Web Workers for jit's case-by-case runs on core's WebAssembly target (the pool itself is
 * host-neutral: wasm/worker-pool.ts). Shared memory exists only on a cross-origin isolated page (COOP and
 * COEP headers, which the workbench's web server and the desktop shell send); elsewhere everything runs on
 * the calling thread, as before. Works from a page or from a worker (the workbench's solver worker).
 *
 *   import { installBrowserThreads } from './core/jit/browser-threads';
 *   installBrowserThreads();         // one worker per core beyond this one, where the page allows it
 */
import { setCasePool } from './wasm/pool';
import { WORKER_BODY, WorkerCasePool, type WorkerReply } from './wasm/worker-pool';

const PROLOGUE = `
const onJob = (handle) => { self.onmessage = (e) => handle(e.data); };
const post = (m) => self.postMessage(m);
`;

/** The part of the DOM's Worker used here (core is typed without the DOM library). */
interface WebWorker {
  postMessage(message: unknown): void;
  onmessage: ((e: { data: WorkerReply }) => void) | null;
}
type WorkerConstructor = new (url: string) => WebWorker;

/** Why threads cannot run here, or null when they can. */
export function browserThreadsUnavailable(): string | null {
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown };
  if (typeof SharedArrayBuffer === 'undefined' || g.crossOriginIsolated !== true)
    return 'the page is not cross-origin isolated (no COOP/COEP headers), so memory cannot be shared';
  if (typeof g.Worker !== 'function') return 'this context cannot start workers';
  return null;
}

/**
 * Start `threads` workers (default: one per core beyond the calling thread) for jit's case-by-case runs.
 * Returns how many were started: 0 where memory cannot be shared (see browserThreadsUnavailable).
 */
export function installBrowserThreads(
  threads = Math.max(0, (globalThis.navigator?.hardwareConcurrency ?? 1) - 1),
): number {
  if (browserThreadsUnavailable() !== null || threads < 1) {
    setCasePool(null);
    return 0;
  }
  // the worker's code as a blob: no extra file to serve (the CSP's worker-src allows blob:)
  const WebWorkerOf = (globalThis as unknown as { Worker: WorkerConstructor }).Worker;
  const url = URL.createObjectURL(new Blob([PROLOGUE + WORKER_BODY], { type: 'text/javascript' }));
  setCasePool(
    new WorkerCasePool(threads, (onReply) => {
      const worker = new WebWorkerOf(url);
      worker.onmessage = (e) => onReply(e.data);
      return worker;
    }),
  );
  return threads;
}
