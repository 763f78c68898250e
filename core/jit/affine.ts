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

/**
 * Output index → input index of a reshape, matching groups of dimensions with equal products. Where a group
 * splits one index into several, `divide(e, k, n)` supplies an index atom for ⌊e / k⌋ (in [0, n)): each target
 * defines it its own way (a local in gpu.js source, a derived atom in the wasm IR).
 */
export function reshapeIndex(
  inShape: readonly number[],
  outShape: readonly number[],
  idx: readonly Affine[],
  divide: (e: Affine, k: number, n: number) => Affine,
): Affine[] {
  const stridesOf = (dims: readonly number[]) => {
    const st = dims.map(() => 1);
    for (let d = dims.length - 2; d >= 0; d--) st[d] = st[d + 1]! * dims[d + 1]!;
    return st;
  };
  const inIdx: Affine[] = inShape.map(() => affConst(0));
  const inLive = inShape.map((_, i) => i).filter((i) => inShape[i] !== 1);
  const outLive = outShape.map((_, i) => i).filter((i) => outShape[i] !== 1);
  let i = 0;
  let j = 0;
  while (i < inLive.length && j < outLive.length) {
    const gi = [inLive[i++]!];
    const go = [outLive[j++]!];
    let pi = inShape[gi[0]!]!;
    let po = outShape[go[0]!]!;
    while (pi !== po) {
      if (pi < po) {
        gi.push(inLive[i]!);
        pi *= inShape[inLive[i++]!]!;
      } else {
        go.push(outLive[j]!);
        po *= outShape[outLive[j++]!]!;
      }
    }
    if (gi.length === 1 && go.length === 1) {
      inIdx[gi[0]!] = idx[go[0]!]!;
      continue;
    }
    let lin = affConst(0);
    const ost = stridesOf(go.map((d) => outShape[d]!));
    go.forEach((d, k) => {
      lin = affAdd(lin, affScale(idx[d]!, ost[k]!));
    });
    const ist = stridesOf(gi.map((d) => inShape[d]!));
    let rem = lin;
    gi.forEach((d, k) => {
      if (k === gi.length - 1) {
        inIdx[d] = rem;
        return;
      }
      const q = divide(rem, ist[k]!, inShape[d]!);
      inIdx[d] = q;
      rem = affAdd(rem, affScale(q, -ist[k]!));
    });
  }
  return inIdx;
}
