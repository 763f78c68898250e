/**
 * Integer index expressions for generated kernels: affine forms `c + Σ k·atom` over named atoms (thread
 * coordinates, loop counters, scan iteration arguments, opaque quotients), each with a known integer range.
 * Ranges decide branches statically (a circular ghost cell needs no test in the interior), prove reads in
 * bounds, and narrow inside the branches of a concat or pad.
 */

export interface Affine {
  readonly c: number;
  /** [atom name, coefficient], sorted by name, no zero coefficients. */
  readonly t: readonly (readonly [string, number])[];
}

export const affConst = (c: number): Affine => ({ c, t: [] });
export const affAtom = (name: string): Affine => ({ c: 0, t: [[name, 1]] });

export function affAdd(a: Affine, b: Affine): Affine {
  const m = new Map<string, number>(a.t);
  for (const [n, k] of b.t) m.set(n, (m.get(n) ?? 0) + k);
  return {
    c: a.c + b.c,
    t: [...m].filter(([, k]) => k !== 0).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
  };
}

export const affScale = (a: Affine, s: number): Affine =>
  s === 0 ? affConst(0) : { c: a.c * s, t: a.t.map(([n, k]) => [n, k * s] as const) };

export const affOffset = (a: Affine, d: number): Affine => ({ c: a.c + d, t: a.t });

export const isConst = (a: Affine): boolean => a.t.length === 0;

export function affKey(a: Affine): string {
  return `${a.c}${a.t.map(([n, k]) => `${k >= 0 ? '+' : ''}${k}*${n}`).join('')}`;
}

/** JS source for an integer index expression (integer literals keep gpu.js's index arithmetic integral). */
export function affSrc(a: Affine): string {
  const parts: string[] = [];
  for (const [n, k] of a.t) {
    const term = k === 1 ? n : k === -1 ? `-${n}` : `${k} * ${n}`;
    parts.push(
      parts.length && !term.startsWith('-') ? `+ ${term}` : parts.length ? `- ${term.slice(1)}` : term,
    );
  }
  if (a.c !== 0 || parts.length === 0)
    parts.push(parts.length ? (a.c > 0 ? `+ ${a.c}` : `- ${-a.c}`) : `${a.c}`);
  return parts.length === 1 ? parts[0]! : `(${parts.join(' ')})`;
}

export type Range = readonly [number, number];

/** Inclusive integer range of an affine form, given the ranges of its atoms. */
export function affRange(a: Affine, rangeOf: (atom: string) => Range): Range {
  let lo = a.c;
  let hi = a.c;
  for (const [n, k] of a.t) {
    const [l, h] = rangeOf(n);
    if (k > 0) {
      lo += k * l;
      hi += k * h;
    } else {
      lo += k * h;
      hi += k * l;
    }
  }
  return [lo, hi];
}
