/**
 * Under `npm run rte` the CLI is npm's child (the script `exec`s node, so no shell sits between). npm passes
 * SIGINT and SIGTERM on to it but exits on SIGHUP without a word to its child, which would go on computing
 * and write its outputs later. A small worker thread (the main thread may be deep in a synchronous solve)
 * watches the parent; when npm is gone, it sends this process SIGHUP, which ends a computation at once and
 * is handled like any interrupt while outputs are written.
 */
import { Worker } from 'node:worker_threads';

/** The watcher's code (a constant of ours, not user text): poll the parent's pid. */
const WATCHER = `
const { workerData } = require('node:worker_threads');
const timer = setInterval(() => {
  if (process.ppid === workerData.parent) return;
  clearInterval(timer);
  process.kill(process.pid, 'SIGHUP');
}, workerData.everyMs);
`;

/**
 * Start the watcher; resolves once it runs. Wait for that before computing: a worker thread started just
 * before a long synchronous computation may not boot until the main thread yields (measured: npm killed in the
 * first 1.5 s of an eager solve left the solver running).
 */
export function stopWhenParentExits(everyMs = 100): Promise<void> {
  const watcher = new Worker(WATCHER, { eval: true, workerData: { parent: process.ppid, everyMs } });
  watcher.unref();
  return new Promise((resolve) => {
    watcher.once('online', () => resolve());
    // a watcher that cannot start must not keep the command from running
    watcher.once('error', () => resolve());
  });
}

/** Whether npm started this process for `npm run rte`. */
export const underNpm = (): boolean => process.env.npm_lifecycle_event === 'rte';
