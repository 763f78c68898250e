import { describe, expect, it } from 'vitest';
import { EXIT_FAILURE, isBadInput, oneLine, UsageError, userMessage } from '../../cli/errors';
import { NpyError } from '../../core/io/npy';
import { RteSpecError } from '../../core/rte/index';

describe('CLI error classes', () => {
  it("the user's problems are bad input; every failure exits 2", () => {
    expect(EXIT_FAILURE).toBe(2);
    expect([new UsageError('x'), new RteSpecError('x'), new NpyError('x')].map(isBadInput)).toEqual([
      true,
      true,
      true,
    ]);
    expect([new Error('x'), new TypeError('x'), new RangeError('x'), 'text'].map(isBadInput)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('messages become one line', () => {
    expect(oneLine("Option '--N' is ambiguous.\nDid you forget\n  a value?\n")).toBe(
      "Option '--N' is ambiguous. Did you forget a value?",
    );
  });

  it("engine errors are told in the user's terms, never raw", () => {
    const engine = [
      new RangeError('Array buffer allocation failed'),
      new RangeError('Invalid typed array length: -8'),
      new RangeError('Invalid array length'),
    ];
    for (const e of engine) {
      const m = userMessage(e);
      expect(m).toMatch(/^out of memory: .*--max-memory/);
      expect(m).not.toMatch(/RangeError|Array buffer|typed array/);
    }
    expect(userMessage(new RangeError('Maximum call stack size exceeded'))).toMatch(
      /^the computation nested too deeply/,
    );
    expect(userMessage(new TypeError('x is undefined'))).toBe(
      'internal error (a bug: please report it with the command line): TypeError: x is undefined',
    );
    expect(userMessage(new RteSpecError('N must be ≥ 3\nreally'))).toBe('N must be ≥ 3 really');
  });
});
