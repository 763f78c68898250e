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
 * Start the watcher; resolves once it runs, so that it watches before any long synchronous computation starts.
 */
export function stopWhenParentExits(everyMs = 100): Promise<void> {
  // the launcher (scripts/rte.mjs) notes the parent first thing: loading the CLI can take a second under load,
  // and npm may be gone by the time this runs
  const launchParent = (globalThis as Record<symbol, unknown>)[Symbol.for('rte.launchParent')];
  const parent = typeof launchParent === 'number' ? launchParent : process.ppid;
  const watcher = new Worker(WATCHER, { eval: true, workerData: { parent, everyMs } });
  // referenced until it runs (the wait itself must keep the process alive), then never holds the process open
  return new Promise((resolve) => {
    const started = () => {
      watcher.unref();
      resolve();
    };
    watcher.once('online', started);
    // a watcher that cannot start must not keep the command from running
    watcher.once('error', started);
  });
}

/** Whether npm started this process for `npm run rte`. */
export const underNpm = (): boolean => process.env.npm_lifecycle_event === 'rte';
