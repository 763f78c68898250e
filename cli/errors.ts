/** Which failures are the user's (exit 2: bad flags, files, shapes, grids) and which are ours (exit 1). */
import { NpyError } from '../core/io/npy';
import { RteSpecError } from '../core/rte/index';

/** A problem with the command line or the input files; its message is shown as is. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 1;

export function isBadInput(e: unknown): e is Error {
  return e instanceof UsageError || e instanceof RteSpecError || e instanceof NpyError;
}

/** Messages go to a one-line stderr report. */
export const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').trim();
