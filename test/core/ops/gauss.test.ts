/** Gauss–Legendre nodes and weights: against the PyTorch reference files and exact polynomial integration. */
import { describe, expect, it } from 'vitest';
import * as C from '../../../core/index';
import { loadReference } from '../../helpers/reference';
import { valuesOf } from '../support/close';

/** ∫_{-1}^{1} x^k dx. */
const exactMoment = (k: number) => (k % 2 === 1 ? 0 : 2 / (k + 1));
const quadrature = (nodes: number[], weights: number[], f: (x: number) => number) =>
  nodes.reduce((s, x, i) => s + weights[i]! * f(x), 0);

describe('gaussLegendre', () => {
  it('order 8 matches gauss8_mu.npy and gauss8_w.npy (ascending nodes)', () => {
    const mu = { shape: loadReference('gauss8_mu').shape, data: valuesOf(loadReference('gauss8_mu')) };
    const w = { shape: loadReference('gauss8_w').shape, data: valuesOf(loadReference('gauss8_w')) };
    expect(mu.shape).toEqual([8]);
    expect(w.shape).toEqual([8]);
    const { nodes, weights } = C.gaussLegendre(8);
    expect(nodes.shape).toEqual([8]);
    expect(nodes.dtype).toBe('float64');
    valuesOf(nodes).forEach((x, i) => {
      expect(Math.abs(x - mu.data[i]!)).toBeLessThanOrEqual(4e-16);
    });
    // numpy's leggauss rescales its weights to sum to 2, so they agree to a few ulps (~1e-15), not bit for bit.
    valuesOf(weights).forEach((x, i) => {
      expect(Math.abs(x - w.data[i]!)).toBeLessThanOrEqual(2e-15);
    });
    expect(Math.abs(valuesOf(weights).reduce((a, b) => a + b, 0) - 2)).toBeLessThan(2e-15);
    // Ascending, and the first half negative (the solver splits directions by sign this way).
    const n = valuesOf(nodes);
    for (let i = 1; i < 8; i++) expect(n[i]!).toBeGreaterThan(n[i - 1]!);
    expect(n.slice(0, 4).every((x) => x < 0)).toBe(true);
  });

  for (const order of [1, 2, 3, 5, 8, 12])
    it(`order ${order} integrates x^k exactly for k ≤ ${2 * order - 1} and not for k = ${2 * order}`, () => {
      const { nodes, weights } = C.gaussLegendre(order);
      const [x, w] = [valuesOf(nodes), valuesOf(weights)];
      for (let k = 0; k <= 2 * order - 1; k++)
        expect(Math.abs(quadrature(x, w, (t) => t ** k) - exactMoment(k))).toBeLessThan(1e-14);
      // Degree 2n is the first the rule misses, by the Gauss remainder 2^(2n+1)·(n!)⁴ / ((2n+1)·((2n)!)²).
      const fact = (m: number): number => (m <= 1 ? 1 : m * fact(m - 1));
      const remainder = (2 ** (2 * order + 1) * fact(order) ** 4) / ((2 * order + 1) * fact(2 * order) ** 2);
      const missed = exactMoment(2 * order) - quadrature(x, w, (t) => t ** (2 * order));
      expect(Math.abs(missed - remainder)).toBeLessThan(1e-12 + 1e-9 * remainder);
    });

  it('float32 nodes are the float64 ones rounded', () => {
    const f64 = valuesOf(C.gaussLegendre(8).nodes);
    const f32 = C.gaussLegendre(8, { dtype: 'float32' });
    expect(f32.nodes.dtype).toBe('float32');
    expect(valuesOf(f32.nodes)).toEqual(f64.map(Math.fround));
  });
});
