/**
 * Which failures are the user's (bad flags, files, shapes, grids, budgets) and how every failure is told: one
 * line on stderr and exit 2, engine errors (an allocation that failed, a stack that overflowed) in the
 * user's terms, never raw.
 */
import { NpyError } from '../core/index';
import { RteSpecError } from '../core/rte/index';

/** A problem with the command line or the input files; its message is shown as is. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Every failure exits 2: bad input, a run that did not fit, or an internal error (said as such). */
export const EXIT_FAILURE = 2;

export function isBadInput(e: unknown): e is Error {
  return e instanceof UsageError || e instanceof RteSpecError || e instanceof NpyError;
}

/** Messages go to a one-line stderr report. */
export const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').trim();

/** What JavaScript engines say when an allocation fails or a size is out of range (V8, Node). */
const OUT_OF_MEMORY =
  /Array buffer allocation failed|Invalid typed array length|Invalid array buffer length|Invalid array length|Invalid string length|Cannot create a string longer|could not allocate memory|out of memory/i;

/** The one line shown for any failure (without the `rte: ` prefix). */
export function userMessage(e: unknown): string {
  if (isBadInput(e)) return oneLine(e.message);
  const message = e instanceof Error ? e.message : String(e);
  if (OUT_OF_MEMORY.test(message) || (e as NodeJS.ErrnoException)?.code === 'ENOMEM')
    return (
      'out of memory: this run needed more memory than the machine could give, although its estimate fit ' +
      'the budget; use a smaller grid, fewer cases or records (a larger --every), or a lower --max-memory ' +
      'so such runs are refused up front'
    );
  if (e instanceof RangeError && /call stack/i.test(message))
    return 'the computation nested too deeply for the JavaScript stack (stack overflow); use a smaller grid or fewer records';
  const name = e instanceof Error ? e.name : 'Error';
  return oneLine(`internal error (a bug: please report it with the command line): ${name}: ${message}`);
}
