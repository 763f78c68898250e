/** Numeric comparison for tests: elementwise |a - e| <= atol + rtol·|e|, with a message that names the worst entry. */
import { expect } from 'vitest';
import { type NestedArray, type Tensor, tensor } from '../../../core/index';

export interface Tolerance {
  rtol?: number;
  atol?: number;
  /** Prefix for the failure message (e.g. the program under test). */
  what?: string;
}

export const valuesOf = (t: Tensor): number[] => Array.from(t.toTypedArray(), Number);

const asTensor = (x: Tensor | NestedArray): Tensor =>
  typeof x === 'object' && x !== null && !Array.isArray(x) ? x : tensor(x);

/** Largest |a - e| over all entries (NaN in both places counts as equal). */
export function maxAbsDiff(actual: Tensor, expected: Tensor): number {
  const a = valuesOf(actual);
  const e = valuesOf(expected);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]!) && Number.isNaN(e[i]!)) continue;
    worst = Math.max(worst, Math.abs(a[i]! - e[i]!));
  }
  return worst;
}

/** Throws (so it also fails a fast-check property) unless shapes match and every entry is close. */
export function assertClose(actual: Tensor, expected: Tensor | NestedArray, tol: Tolerance = {}): void {
  const { rtol = 1e-12, atol = 1e-12, what = '' } = tol;
  const exp = asTensor(expected);
  const prefix = what ? `${what}: ` : '';
  if (actual.shape.join(',') !== exp.shape.join(','))
    throw new Error(`${prefix}shape [${actual.shape}] differs from expected [${exp.shape}]`);
  const a = valuesOf(actual);
  const e = valuesOf(exp);
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i]!, e[i]!];
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y)))
      throw new Error(
        `${prefix}entry ${i} (flat) is ${x}, expected ${y} (|diff| ${Math.abs(x - y)}, allowed ${atol + rtol * Math.abs(y)})`,
      );
  }
}

/** Exact equality of shape and values, and of dtype when a tensor is expected (results that must not differ by a bit). */
export function expectExact(actual: Tensor, expected: Tensor | NestedArray): void {
  const exp = asTensor(expected);
  expect(actual.shape).toEqual(exp.shape);
  if (exp !== expected) expect(actual.dtype).toBe(exp.dtype);
  // -0 and 0 are the same number here (a cotangent of a zero product may carry either sign).
  const unsigned = (t: Tensor) => valuesOf(t).map((v) => (v === 0 ? 0 : v));
  expect(unsigned(actual)).toEqual(unsigned(exp));
}

/** The largest magnitude in a tensor (at least 1), to scale absolute tolerances. */
export const scaleOf = (t: Tensor): number => Math.max(1, ...valuesOf(t).map(Math.abs));
