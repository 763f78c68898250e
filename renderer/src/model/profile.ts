/**
 * A profile is how one input field (Tini or sigma) of a case is defined: a formula in x (and parameters), a curve
 * drawn with the mouse, or samples imported from a file. Every kind can be sampled on any grid, so the
 * derivative panels can use a coarser grid than the main one.
 */
import { compileFormula, FormulaError } from '../../../core/rte/index';

export type Profile =
  | { kind: 'formula'; text: string; params?: Record<string, number> }
  | { kind: 'drawn'; points: [number, number][] }
  | { kind: 'samples'; values: number[]; source: string };

export type Field = 'Tini' | 'sigma';

/** Cell centres of a periodic unit domain, as core computes them. */
export function centres(N: number): Float64Array {
  const dx = 1 / N;
  return Float64Array.from({ length: N }, (_, i) => 0.5 * dx + i * dx);
}

/** Sample a profile at the N cell centres. Throws FormulaError (with what is wrong) when it cannot. */
export function sampleProfile(p: Profile, N: number, field: Field): Float64Array {
  const x = centres(N);
  let out: Float64Array;
  switch (p.kind) {
    case 'formula': {
      const params = p.params ?? {};
      const f = compileFormula(p.text, ['x', ...Object.keys(params)]);
      out = x.map((xi) => f.evaluate({ ...params, x: xi }));
      break;
    }
    case 'drawn':
      out = x.map((xi) => interpolatePoints(p.points, xi));
      break;
    case 'samples':
      out = resample(p.values, N);
      break;
  }
  checkValues(out, x, field);
  return out;
}

/** Physical limits: finite everywhere, sigma ≥ 0 (an absorption coefficient), Tini ≥ 0 (a temperature). */
export function checkValues(v: ArrayLike<number>, x: ArrayLike<number>, field: Field): void {
  for (let i = 0; i < v.length; i++) {
    const value = v[i]!;
    const at = `at x = ${(x[i] ?? 0).toFixed(4)}`;
    if (!Number.isFinite(value)) throw new FormulaError(`${field} is ${value} ${at}`);
    if (value < 0) throw new FormulaError(`${field} must be ≥ 0 but is ${value.toPrecision(4)} ${at}`);
  }
}

/** Piecewise-linear through points sorted by x, extended periodically across x = 0 ≡ 1. */
export function interpolatePoints(points: readonly [number, number][], x: number): number {
  if (points.length === 0) return 0;
  if (points.length === 1) return points[0]![1];
  const first = points[0]!;
  const last = points.at(-1)!;
  const ring: [number, number][] = [[last[0] - 1, last[1]], ...points, [first[0] + 1, first[1]]];
  for (let k = 0; k < ring.length - 1; k++) {
    const [x0, y0] = ring[k]!;
    const [x1, y1] = ring[k + 1]!;
    if (x >= x0 && x <= x1) return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return last[1];
}

/** Linear resampling of periodic cell values from their own grid onto N cells. */
export function resample(values: readonly number[], N: number): Float64Array {
  const M = values.length;
  if (M === N) return Float64Array.from(values);
  const src = centres(M);
  const pts = Array.from(src, (x, i) => [x, values[i]!] as [number, number]);
  return centres(N).map((x) => interpolatePoints(pts, x));
}

/** Add a stroke to a drawn curve: points of the stroke replace the old points within its x-range. */
export function mergeStroke(points: readonly [number, number][], stroke: readonly [number, number][]) {
  if (stroke.length === 0) return [...points];
  const xs = stroke.map((p) => p[0]);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const kept = points.filter(([x]) => x < lo || x > hi);
  return [...kept, ...stroke].sort((a, b) => a[0] - b[0]).map(([x, y]) => [x, y] as [number, number]);
}

export function describeProfile(p: Profile): string {
  switch (p.kind) {
    case 'formula':
      return p.params && Object.keys(p.params).length
        ? `${p.text}  (${Object.entries(p.params)
            .map(([k, v]) => `${k} = ${v}`)
            .join(', ')})`
        : p.text;
    case 'drawn':
      return `drawn curve (${p.points.length} points)`;
    case 'samples':
      return `${p.values.length} samples from ${p.source}`;
  }
}
