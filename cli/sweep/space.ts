/**
 * The parameter space of a sweep, expanded to one row of parameter values per case: an explicit list, a
 * Cartesian product (first parameter slowest), or n uniform random or Latin-hypercube samples from a seed.
 */
import { rng } from '../../core/index';
import type { Space } from './spec-schema';

export const MAX_CASES = 100_000_000;

export interface Cases {
  /** Parameter names, in column order. */
  names: string[];
  /** [cases, names.length], row-major. */
  values: Float64Array;
  count: number;
}

export class SpaceError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const linspace = (from: number, to: number, count: number) =>
  Array.from({ length: count }, (_, i) => (count === 1 ? from : from + ((to - from) * i) / (count - 1)));

export function expandSpace(space: Space): Cases {
  if (space.list) {
    const names = Object.keys(space.list[0]!);
    const values = new Float64Array(space.list.length * names.length);
    space.list.forEach((row, c) => {
      const keys = Object.keys(row);
      const odd = keys.find((k) => !names.includes(k)) ?? names.find((k) => !keys.includes(k));
      if (odd !== undefined)
        throw new SpaceError(
          `space.list[${c}]`,
          `every case must set the same parameters as the first (${names.join(', ')}); "${odd}" differs`,
        );
      names.forEach((n, p) => {
        values[c * names.length + p] = row[n]!;
      });
    });
    return { names, values, count: space.list.length };
  }
  if (space.product) {
    const names = Object.keys(space.product);
    const axes = names.map((n) => {
      const v = space.product![n]!;
      return Array.isArray(v) ? v : linspace(...v.linspace);
    });
    const count = axes.reduce((a, ax) => a * ax.length, 1);
    if (count > MAX_CASES)
      throw new SpaceError('space.product', `holds ${count} cases; at most ${MAX_CASES} are allowed`);
    const values = new Float64Array(count * names.length);
    for (let c = 0; c < count; c++) {
      let rest = c;
      for (let p = names.length - 1; p >= 0; p--) {
        const ax = axes[p]!;
        values[c * names.length + p] = ax[rest % ax.length]!;
        rest = Math.floor(rest / ax.length);
      }
    }
    return { names, values, count };
  }
  const kind = space.random ? 'random' : 'lhs';
  const s = (space.random ?? space.lhs)!;
  if (s.n > MAX_CASES) throw new SpaceError(`space.${kind}.n`, `at most ${MAX_CASES} cases are allowed`);
  const names = Object.keys(s.ranges);
  // core's seeded generator (mulberry32): the same seed gives the same cases on every machine
  const next = rng(s.seed);
  const values = new Float64Array(s.n * names.length);
  names.forEach((name, p) => {
    const [lo, hi] = s.ranges[name]!;
    // Latin hypercube: each of n equal strata of the range holds one sample, in a random order per parameter
    const strata = Int32Array.from({ length: s.n }, (_, i) => i);
    if (kind === 'lhs')
      for (let i = s.n - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [strata[i], strata[j]] = [strata[j]!, strata[i]!];
      }
    for (let c = 0; c < s.n; c++) {
      const u = kind === 'lhs' ? (strata[c]! + next()) / s.n : next();
      values[c * names.length + p] = lo + (hi - lo) * u;
    }
  });
  return { names, values, count: s.n };
}
