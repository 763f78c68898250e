import { describe, expect, it } from 'vitest';
import {
  colorColumns,
  colorRows,
  colorSymmetric,
  isColumnColoring,
  isStarColoring,
  rng,
  SparsityPattern,
} from '../../core/index';
import { columnIntersectionGraph, greedyColumnsByRows, vertexOrder } from '../../core/sparse/coloring';

const entries = (n: number, m: number, has: (i: number, j: number) => boolean) => {
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) if (has(i, j)) out.push([i, j]);
  return SparsityPattern.fromEntries(n, m, out);
};
const band = (n: number, lo: number, hi: number) => entries(n, n, (i, j) => j - i >= -lo && j - i <= hi);
const randomPattern = (m: number, n: number, perRow: number, seed: number) => {
  const r = rng(seed);
  const e: [number, number][] = [];
  for (let i = 0; i < m; i++) for (let k = 0; k < perRow; k++) e.push([i, Math.floor(r() * n)]);
  return SparsityPattern.fromEntries(m, n, e);
};

describe('column and row colouring', () => {
  it('diagonal: one colour', () => {
    const p = entries(50, 50, (i, j) => i === j);
    expect(colorColumns(p).count).toBe(1);
    expect(colorRows(p).count).toBe(1);
    expect(colorSymmetric(p).count).toBe(1);
  });

  it('band of width w (lower lo, upper hi): exactly w colours, the optimum', () => {
    for (const [lo, hi] of [
      [1, 1],
      [2, 2],
      [0, 3],
      [4, 1],
    ] as const) {
      const p = band(60, lo, hi);
      const c = colorColumns(p);
      expect(isColumnColoring(p, c.colors)).toBe(true);
      expect(c.count).toBe(lo + hi + 1);
      expect(colorRows(p).count).toBe(lo + hi + 1);
    }
  });

  it('block diagonal with blocks of size b: b colours', () => {
    const p = entries(48, 48, (i, j) => Math.floor(i / 6) === Math.floor(j / 6));
    expect(colorColumns(p).count).toBe(6);
    expect(colorRows(p).count).toBe(6);
  });

  it('arrow: a full row and column leave nothing to compress in one direction', () => {
    const p = entries(20, 20, (i, j) => i === 0 || j === 0 || i === j);
    expect(colorColumns(p).count).toBe(20);
    expect(colorRows(p).count).toBe(20);
    // symmetric: the centre and all leaves, which form stars: 2 colours
    const s = colorSymmetric(p);
    expect(s.count).toBe(2);
    expect(isStarColoring(p, s.colors)).toBe(true);
  });

  it('periodic band of 79 per row on 400 columns (the seed record 4): at most 84 colours', () => {
    const p = entries(400, 400, (i, j) => Math.min(Math.abs(i - j), 400 - Math.abs(i - j)) <= 39);
    expect(p.maxRowCount()).toBe(79);
    const c = colorColumns(p);
    expect(isColumnColoring(p, c.colors)).toBe(true);
    expect(c.count).toBeGreaterThanOrEqual(80); // the chromatic number: ⌈400 / ⌊400/79⌋⌉
    expect(c.count).toBeLessThanOrEqual(84);
  });

  it('random patterns: valid, at least the densest row, at most max degree + 1', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const p = randomPattern(80 + seed * 10, 60, 1 + (seed % 4), seed);
      const g = columnIntersectionGraph(p);
      let maxDeg = 0;
      for (let v = 0; v < g.n; v++) maxDeg = Math.max(maxDeg, g.ptr[v + 1]! - g.ptr[v]!);
      for (const order of ['natural', 'largest-first', 'smallest-last', 'best'] as const) {
        const c = colorColumns(p, { order });
        expect(isColumnColoring(p, c.colors)).toBe(true);
        expect(c.count).toBeGreaterThanOrEqual(p.maxRowCount());
        expect(c.count).toBeLessThanOrEqual(maxDeg + 1);
      }
      const best = colorColumns(p).count;
      for (const order of ['natural', 'largest-first', 'smallest-last'] as const)
        expect(best).toBeLessThanOrEqual(colorColumns(p, { order }).count);
      const r = colorRows(p);
      expect(isColumnColoring(p.transpose(), r.colors)).toBe(true);
      expect(r.count).toBeGreaterThanOrEqual(p.transpose().maxRowCount());
    }
  });

  it('one natural pass straight from the rows gives the graph’s natural greedy colouring', () => {
    // greedy over the column intersection graph, written out: the definition the row-wise pass must match
    const viaGraph = (p: SparsityPattern) => {
      const g = columnIntersectionGraph(p);
      const colors = new Int32Array(p.cols).fill(-1);
      for (let v = 0; v < p.cols; v++) {
        const taken = new Set<number>();
        for (let k = g.ptr[v]!; k < g.ptr[v + 1]!; k++) taken.add(colors[g.adj[k]!]!);
        let c = 0;
        while (taken.has(c)) c++;
        colors[v] = c;
      }
      return colors;
    };
    const periodic = (n: number, w: number) =>
      entries(n, n, (i, j) => Math.min(Math.abs(i - j), n - Math.abs(i - j)) <= w);
    for (const p of [
      band(60, 2, 3),
      periodic(100, 40), // more than 32 colours: several words of the bitsets
      randomPattern(70, 90, 6, 3),
      randomPattern(40, 200, 30, 8),
      entries(10, 12, () => false),
    ]) {
      const fast = colorColumns(p, { order: 'natural', refine: 0 });
      expect(Array.from(fast.colors)).toEqual(Array.from(viaGraph(p)));
      expect(Array.from(greedyColumnsByRows(p))).toEqual(Array.from(fast.colors));
      expect(isColumnColoring(p, fast.colors)).toBe(true);
    }
  });

  it('an invalid colouring is recognised as such', () => {
    const p = band(10, 1, 1);
    expect(isColumnColoring(p, new Int32Array(10))).toBe(false);
    expect(
      isColumnColoring(
        p,
        Int32Array.from({ length: 10 }, (_, j) => j % 2),
      ),
    ).toBe(false);
    expect(
      isColumnColoring(
        p,
        Int32Array.from({ length: 10 }, (_, j) => j % 3),
      ),
    ).toBe(true);
  });

  it('smallest-last and largest-first are permutations with the expected degree order', () => {
    const p = randomPattern(40, 30, 3, 9);
    const g = columnIntersectionGraph(p);
    const deg = (v: number) => g.ptr[v + 1]! - g.ptr[v]!;
    for (const order of ['largest-first', 'smallest-last'] as const) {
      const o = vertexOrder(g, order);
      expect([...o].sort((a, b) => a - b)).toEqual([...Array(30).keys()]);
    }
    const lf = vertexOrder(g, 'largest-first');
    for (let k = 1; k < lf.length; k++) expect(deg(lf[k - 1]!)).toBeGreaterThanOrEqual(deg(lf[k]!));
    // smallest-last ends with a vertex of least degree in the whole graph
    const sl = vertexOrder(g, 'smallest-last');
    expect(deg(sl[sl.length - 1]!)).toBe(Math.min(...[...Array(30).keys()].map(deg)));
  });
});

describe('star colouring', () => {
  it('tridiagonal: 3 colours (a path needs 3 for a star colouring)', () => {
    const p = band(30, 1, 1);
    const c = colorSymmetric(p);
    expect(c.count).toBe(3);
    expect(isStarColoring(p, c.colors)).toBe(true);
    // two colours are a proper colouring of a path, but not a star colouring
    expect(
      isStarColoring(
        p,
        Int32Array.from({ length: 30 }, (_, j) => j % 2),
      ),
    ).toBe(false);
  });

  it('random symmetric patterns: valid star colourings, never more than a distance-2 colouring needs', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const r = randomPattern(40, 40, 2, seed + 20);
      const p = r.union(r.transpose());
      const c = colorSymmetric(p);
      expect(isStarColoring(p, c.colors)).toBe(true);
      expect(c.count).toBeLessThanOrEqual(colorColumns(p.union(entries(40, 40, (i, j) => i === j))).count);
    }
  });

  it('5-point grid Laplacian: a valid star colouring near the optimum 5', () => {
    const k = 8;
    const p = entries(k * k, k * k, (a, b) => {
      const [ia, ja, ib, jb] = [Math.floor(a / k), a % k, Math.floor(b / k), b % k];
      return Math.abs(ia - ib) + Math.abs(ja - jb) <= 1;
    });
    const c = colorSymmetric(p);
    expect(isStarColoring(p, c.colors)).toBe(true);
    expect(c.count).toBeGreaterThanOrEqual(5); // the star chromatic number of a large enough grid
    expect(c.count).toBeLessThanOrEqual(7);
    // here the distance-2 colouring is already optimal (5), which is why sparseHessian takes the better one
    expect(colorColumns(p).count).toBe(5);
  });
});
