/**
 * Interrupts while outputs are being written. SIGINT, SIGTERM and SIGHUP are caught only during that phase:
 * the handler removes the temporary files and ends the process (128 + the signal's number, as a shell
 * reports a killed command). Outside it, a signal ends the process at once as usual — during a computation
 * (synchronous JavaScript, which a handler could not interrupt) nothing is on disk yet.
 */
import { constants } from 'node:os';

export const INTERRUPTS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const cleanups = new Set<() => void>();

function onInterrupt(signal: NodeJS.Signals): void {
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // the other cleanups still run; the process ends either way
    }
  }
  process.stderr.write(`rte: interrupted by ${signal} while writing the outputs; none were written\n`);
  process.exit(128 + (constants.signals[signal] ?? 0));
}

/** Run `work` with `cleanup` called if an interrupt arrives before it settles. */
export async function whileInterruptible<T>(cleanup: () => void, work: () => Promise<T>): Promise<T> {
  if (cleanups.size === 0) for (const s of INTERRUPTS) process.on(s, onInterrupt);
  cleanups.add(cleanup);
  try {
    return await work();
  } finally {
    cleanups.delete(cleanup);
    if (cleanups.size === 0) for (const s of INTERRUPTS) process.off(s, onInterrupt);
  }
}
