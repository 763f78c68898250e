/**
 * Jacobians in a sweep: the dense [case, x_out, x_in] array and the sparse COO values on the shared pattern,
 * read back by python3-zarr, equal `rte jacobian` for spot-checked cases; bad Jacobian items are refused with
 * one line before any store exists.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSweep } from '../../../cli/sweep/spec';
import { encodeNpy } from '../../../core/io/npy';
import { tensor } from '../../../core/ops/creation';
import { readNpy, scratch } from '../run-cli';
import { hasPythonXarray, hasPythonZarr, python, pythonXarray, rte, writeSpec } from './helpers';

const tmp = scratch();
afterAll(() => tmp.cleanup());

const N = 24;
const SPEC = {
  grid: { N, Nvx: 4, CFL: 0.8, t_end: 0.25, every: 3 },
  Tini: '1 + a * sin(2*pi*x)',
  sigma: 's * (1 + 0.5 * gauss(x, 0.5, 0.1))',
  space: { product: { a: [0.1, 0.3], s: [0.5, 2, 3] } },
  compute: [
    { jacobian: { wrt: 'sigma', record: 1, layout: 'sparse' } },
    { jacobian: { wrt: 'sigma', record: 1 } },
    { jacobian: { wrt: 'Tini', output: 'T' } },
  ],
  shard_size: 4,
};
const zarrOk = hasPythonZarr();

/** `rte jacobian` of one case of the sweep: its inputs written as a batch of one. */
async function cliJacobian(spec: string, c: number, args: string[]): Promise<Float64Array> {
  const sweep = loadSweep(spec);
  const dir = tmp.file(`case-${c}-${args.join('-')}`);
  mkdirSync(dir);
  const { Tini, sigma } = sweep.inputs(c);
  writeFileSync(join(dir, 'Tini.npy'), encodeNpy(tensor(Tini, { shape: [1, N] })));
  writeFileSync(join(dir, 'sigma.npy'), encodeNpy(tensor(sigma, { shape: [1, N] })));
  const g = SPEC.grid;
  const grid = [
    '--N',
    `${N}`,
    '--nvx',
    `${g.Nvx}`,
    '--cfl',
    `${g.CFL}`,
    '--t-end',
    `${g.t_end}`,
    '--every',
    `${g.every}`,
  ];
  const inputs = ['--tini', join(dir, 'Tini.npy'), '--sigma', join(dir, 'sigma.npy'), '--case', '0'];
  const r = await rte(['jacobian', ...grid, ...inputs, ...args, '--out', join(dir, 'out')]);
  expect(r.code, r.stderr).toBe(0);
  return readNpy(join(dir, 'out', 'jacobian.npy')).data as Float64Array;
}

describe('rte sweep run: Jacobians of a record', () => {
  it('stores dense and sparse Jacobians equal to rte jacobian for spot-checked cases', async () => {
    const spec = writeSpec(tmp.file('spec.json'), SPEC);
    const store = tmp.file('jac.zarr');
    const r = await rte(['sweep', 'run', spec, '--out', store, '--workers', '1']);
    expect(r.code, r.stderr).toBe(0);
    if (!zarrOk) return console.log('python3-zarr is not installed: the store was not read back with it');
    const picks = [0, 5];
    const got = python(
      store,
      `import numpy as np
v = g["jac_E_r1_sigma_vals"]
rows, cols = g["jac_E_r1_sigma_rows"][:], g["jac_E_r1_sigma_cols"][:]
def dense_of(c):
    m = np.zeros(tuple(v.attrs["matrix_shape"]))
    m[rows, cols] = v[c]
    return m.ravel().tolist()
print(json.dumps({
  "shapes": {k: list(g[k].shape) for k in g.array_keys() if k.startswith("jac_")},
  "dtypes": {k: str(g[k].dtype) for k in ["jac_E_r1_sigma_rows", "jac_E_r1_sigma_vals"]},
  "attrs": dict(v.attrs),
  "dense_attrs": dict(g["jac_E_r1_sigma"].attrs),
  "sparse": [dense_of(c) for c in ${JSON.stringify(picks)}],
  "dense": [g["jac_E_r1_sigma"][c].ravel().tolist() for c in ${JSON.stringify(picks)}],
  "tini": [g["jac_T_r2_Tini"][c].ravel().tolist() for c in ${JSON.stringify(picks)}],
}))`,
    );
    const nnz = got.shapes.jac_E_r1_sigma_vals[1];
    // record 1 is 4 steps in: each cell reaches at most 4 cells either way, so the pattern is a band
    expect(nnz).toBeGreaterThan(N);
    expect(nnz).toBeLessThanOrEqual(N * 9);
    expect(got.shapes).toEqual({
      jac_E_r1_sigma: [6, N, N],
      jac_E_r1_sigma_vals: [6, nnz],
      jac_E_r1_sigma_rows: [nnz],
      jac_E_r1_sigma_cols: [nnz],
      jac_T_r2_Tini: [6, N, N],
    });
    expect(got.dtypes).toEqual({ jac_E_r1_sigma_rows: 'int32', jac_E_r1_sigma_vals: 'float64' });
    expect(got.attrs).toMatchObject({
      _ARRAY_DIMENSIONS: ['case', 'jac_E_r1_sigma_nnz'],
      layout: 'coo',
      matrix_shape: [N, N],
      rows: 'jac_E_r1_sigma_rows',
      cols: 'jac_E_r1_sigma_cols',
    });
    expect(got.dense_attrs).toMatchObject({ _ARRAY_DIMENSIONS: ['case', 'x_out', 'x_in'], layout: 'dense' });
    const close = (a: number[], b: Float64Array) => {
      expect(a).toHaveLength(b.length);
      a.forEach((v, i) => {
        expect(Math.abs(v - b[i]!)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(b[i]!)));
      });
    };
    const E1 = ['--output', 'E', '--record', '1', '--wrt', 'sigma'];
    for (const [i, c] of picks.entries()) {
      const fwd = await cliJacobian(spec, c, [...E1, '--mode', 'fwd', '--backend', 'wasm']);
      expect(got.dense[i]).toEqual([...fwd]);
      // the sparse layout holds every nonzero: expanded it is the whole Jacobian
      close(got.sparse[i], fwd);
    }
    // one case each (every CLI run costs seconds): rte jacobian's own sparse mode, and the final T w.r.t. Tini
    close(got.sparse[1], await cliJacobian(spec, picks[1]!, [...E1, '--mode', 'sparse']));
    const tini = ['--output', 'T', '--record', 'final', '--wrt', 'Tini', '--backend', 'wasm'];
    expect(got.tini[0]).toEqual([...(await cliJacobian(spec, picks[0]!, tini))]);
    if (!hasPythonXarray())
      return console.log('python3-xarray is not installed: the store was not opened with it');
    const xr = pythonXarray(store, 'print(json.dumps({k: list(v.dims) for k, v in ds.data_vars.items()}))');
    expect(xr).toMatchObject({
      jac_E_r1_sigma: ['case', 'x_out', 'x_in'],
      jac_E_r1_sigma_vals: ['case', 'jac_E_r1_sigma_nnz'],
      jac_E_r1_sigma_rows: ['jac_E_r1_sigma_nnz'],
      jac_T_r2_Tini: ['case', 'x_out', 'x_in'],
    });
  });

  it.each([
    [
      'a record out of range',
      [{ jacobian: { wrt: 'sigma', record: 7 } }],
      /^rte: .*: compute\.0\.jacobian\.record: record 7 is out of range: this grid records R = 3 steps \(0\.\.2\)\n$/,
    ],
    [
      'an unknown layout',
      [{ jacobian: { wrt: 'sigma', layout: 'csr' } }],
      /compute\.0: each item must be .*\{"jacobian": \{.*"layout": "dense"\|"sparse"\}\}\n$/,
    ],
    [
      'the same Jacobian twice',
      ['solve', { jacobian: { wrt: 'sigma', record: 2 } }, { jacobian: { wrt: 'sigma' } }],
      /compute: two items write the array jac_E_r2_sigma/,
    ],
  ])('refuses %s: exit 2, one line, no store', async (_, compute, message) => {
    const out = tmp.file(`bad-${Math.random()}.zarr`);
    const r = await rte([
      'sweep',
      'run',
      writeSpec(tmp.file('bad.json'), { ...SPEC, compute }),
      '--out',
      out,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a dense Jacobian whose shard cannot fit the memory budget, naming the sizes', async () => {
    const big = {
      ...SPEC,
      grid: { ...SPEC.grid, N: 4000, t_end: 0.001 },
      compute: [{ jacobian: { wrt: 'sigma' } }],
    };
    const out = tmp.file('big.zarr');
    const r = await rte(['sweep', 'run', writeSpec(tmp.file('big.json'), big), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^rte: .*: compute\.0\.jacobian: the Jacobian of jac_E_r\d+_sigma per shard of 4 case\(s\): this run is too large: .*4000 cells.*working memory about [\d.]+ GiB, over the memory budget of 4\.00 GiB .*shard_size.*\n$/,
    );
    expect(existsSync(out)).toBe(false);
  });
});
