import { describe, expect, it } from 'vitest';
import { EXIT_BAD_INPUT, EXIT_INTERNAL, isBadInput, oneLine, UsageError } from '../../cli/errors';
import { NpyError } from '../../core/io/npy';
import { RteSpecError } from '../../core/rte/index';

describe('CLI error classes', () => {
  it("the user's problems exit 2, anything else is internal (exit 1)", () => {
    expect([EXIT_BAD_INPUT, EXIT_INTERNAL]).toEqual([2, 1]);
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
});
