import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSweep, SweepSpecError } from '../../../cli/sweep/spec';
import { encodeNpy } from '../../../core/io/npy';
import { tensor } from '../../../core/ops/creation';
import { scratch } from '../run-cli';

const BASE = {
  grid: { N: 16, Nvx: 4, CFL: 0.8, t_end: 0.2, every: 2 },
  Tini: '1 + a * sin(2*pi*x)',
  sigma: 's',
  space: { product: { a: [0.1, 0.2], s: { linspace: [1, 2, 3] } } },
};
const parse = (spec: unknown) => parseSweep(JSON.stringify(spec), 'spec.json', '/');
const fails = (spec: unknown) => {
  try {
    parse(spec);
  } catch (e) {
    expect(e).toBeInstanceOf(SweepSpecError);
    return (e as Error).message;
  }
  throw new Error('expected the spec to be refused');
};

describe('sweep spec', () => {
  it('expands a product, first parameter slowest, with defaults filled in', () => {
    const s = parse({ ...BASE, shard_size: 4 });
    expect(s.cases.names).toEqual(['a', 's']);
    expect([...s.cases.values]).toEqual([0.1, 1, 0.1, 1.5, 0.1, 2, 0.2, 1, 0.2, 1.5, 0.2, 2]);
    expect([s.cases.count, s.shards, s.json.dtype, s.json.backend, s.json.compute]).toEqual([
      6,
      2,
      'float64',
      'wasm',
      ['solve'],
    ]);
    const { Tini, sigma } = s.inputs(4);
    expect(sigma).toEqual(new Float64Array(16).fill(1.5));
    expect(Tini[4]).toBeCloseTo(1 + 0.2 * Math.sin(2 * Math.PI * (4.5 / 16)), 14);
  });

  it('fingerprints the shard layout: the default size written out is the same spec, another size is not', () => {
    const auto = parse(BASE);
    expect(auto.shardSize).toBe(1); // ⌈6 cases / 8⌉
    expect(parse({ ...BASE, shard_size: auto.shardSize }).sha256).toBe(auto.sha256);
    expect(parse({ ...BASE, shard_size: 2 }).sha256).not.toBe(auto.sha256);
  });

  it('draws random and Latin-hypercube samples reproducibly from the seed, inside the ranges', () => {
    for (const kind of ['random', 'lhs']) {
      const space = { [kind]: { n: 50, seed: 7, ranges: { a: [0, 0.5], s: [1, 3] } } };
      const one = parse({ ...BASE, space });
      expect(parse({ ...BASE, space }).cases.values).toEqual(one.cases.values);
      expect(parse({ ...BASE, space: { [kind]: { ...space[kind], seed: 8 } } }).cases.values).not.toEqual(
        one.cases.values,
      );
      const a = one.cases.values.filter((_, i) => i % 2 === 0);
      expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...a)).toBeLessThan(0.5);
      if (kind === 'lhs') {
        // one sample in each of the 50 strata
        const strata = new Set(a.map((v) => Math.floor(v / 0.01)));
        expect(strata.size).toBe(50);
      }
    }
  });

  it.each([
    [
      'an unknown field',
      { ...BASE, grdi: {} },
      'spec.json: (top level): unknown field "grdi" (allowed: grid, Tini,',
    ],
    [
      'an unknown grid field',
      { ...BASE, grid: { ...BASE.grid, n: 3 } },
      'spec.json: grid: unknown field "n" (allowed: N, Nvx, CFL, t_end, every)',
    ],
    ['N < 3', { ...BASE, grid: { ...BASE.grid, N: 2 } }, 'spec.json: grid.N: must be ≥ 3'],
    ['an odd Nvx', { ...BASE, grid: { ...BASE.grid, Nvx: 3 } }, 'grid.Nvx: must be even'],
    ['CFL > 1', { ...BASE, grid: { ...BASE.grid, CFL: 1.5 } }, 'spec.json: grid: CFL = 1.5 > 1 is unstable'],
    ['an empty product', { ...BASE, space: { product: {} } }, 'space.product: name at least one parameter'],
    [
      'an empty value list',
      { ...BASE, space: { product: { a: [] } } },
      'space.product.a: a list of values must not be empty',
    ],
    ['an empty case list', { ...BASE, space: { list: [] } }, 'space.list: the list of cases is empty'],
    ['two spaces at once', { ...BASE, space: { list: [{ a: 1 }], product: { a: [1] } } }, 'exactly one of'],
    [
      'a case list with a missing parameter',
      { ...BASE, space: { list: [{ a: 1, s: 1 }, { a: 2 }] } },
      'space.list[1]',
    ],
    ['a parameter named x', { ...BASE, space: { product: { x: [1] } } }, 'x, pi and e are taken'],
    ['a formula error', { ...BASE, Tini: '1 + b' }, 'spec.json: Tini: unknown name "b" (use x, a, s, pi, e)'],
    ['a formula of the wrong type', { ...BASE, sigma: 3 }, 'spec.json: sigma: must be a formula'],
    [
      'an unknown output',
      { ...BASE, compute: ['jacobian'] },
      'compute.0: each item must be "solve", {"grad"',
    ],
    [
      'the same output twice',
      { ...BASE, compute: ['solve', { grad: { wrt: 'sigma' } }, { grad: { wrt: 'sigma' } }] },
      'spec.json: compute: two items write the array grad_sigma',
    ],
    [
      'a jvp direction that does not parse',
      { ...BASE, compute: [{ jvp: { wrt: 'sigma', direction: 'sin(' } }] },
      'spec.json: compute.0.jvp.direction: cannot parse',
    ],
    ['a bad dtype', { ...BASE, dtype: 'float16' }, 'dtype: must be "float64" or "float32"'],
  ])('refuses %s with one line naming the field', (_, spec, message) => {
    const m = fails(spec);
    expect(m).toContain(message);
    expect(m).not.toContain('\n');
  });

  it('samples each jvp direction per case', () => {
    const s = parse({ ...BASE, compute: ['solve', { jvp: { wrt: 'Tini', direction: 'a * x' } }] });
    expect(s.inputs(3).directions[0]![2]).toBeCloseTo(0.2 * (2.5 / 16), 15);
  });

  it('refuses a case whose inputs are negative or non-finite, naming the case and its parameters', () => {
    const s = parse({ ...BASE, sigma: 's - 1.2' });
    expect(() => s.inputs(0)).toThrow(
      'sigma: case 0 (a = 0.1, s = 1): -0.2000 at x = 0.03125; sigma must be ≥ 0',
    );
    const t = parse({ ...BASE, Tini: '1/(a - 0.1)' });
    expect(() => t.inputs(0)).toThrow(
      'Tini: case 0 (a = 0.1, s = 1): 1/(a - 0.1) is Infinity at x = 0.03125',
    );
  });

  it('reads .npy inputs relative to the spec, and the fingerprint follows their contents', () => {
    const s = scratch();
    try {
      writeFileSync(s.file('sigma.npy'), encodeNpy(tensor(new Float64Array(16).fill(2))));
      const spec = { ...BASE, sigma: { npy: 'sigma.npy' } };
      const one = parseSweep(JSON.stringify(spec), 'spec.json', s.dir);
      expect(one.inputs(0).sigma[3]).toBe(2);
      expect(one.json.sigma).toEqual({ npy: s.file('sigma.npy') });
      writeFileSync(s.file('sigma.npy'), encodeNpy(tensor(new Float64Array(16).fill(3))));
      expect(parseSweep(JSON.stringify(spec), 'spec.json', s.dir).sha256).not.toBe(one.sha256);
      writeFileSync(s.file('sigma.npy'), encodeNpy(tensor(new Float64Array(15).fill(3))));
      expect(() => parseSweep(JSON.stringify(spec), 'spec.json', s.dir)).toThrow('must be float [16]');
    } finally {
      s.cleanup();
    }
  });
});
