/**
 * The workbench's sweep-store reader on stores written by `rte sweep run`: cases and values equal what
 * python3-zarr reads; a partial store shows its finished shards only; a folder that is not a store, or a Zarr
 * group of another program, is refused with a sentence saying so.
 */
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openSweepStore,
  readCase,
  readWhole,
  type StoreFiles,
  SweepStoreError,
} from '../../../renderer/src/io/sweep-store';
import { scratch } from '../../cli/run-cli';
import { browsableSpec, hasPythonZarr, python, rte, writeSpec } from '../../cli/sweep/helpers';

const tmp = scratch();
afterAll(() => tmp.cleanup());

/** A folder on disk as the reader sees a picked folder. */
function folder(dir: string): StoreFiles {
  const paths: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else paths.push(relative(dir, p));
    }
  };
  walk(dir);
  return {
    paths: () => paths,
    read: async (p) => (paths.includes(p) ? new Uint8Array(readFileSync(join(dir, p))) : undefined),
  };
}

const store = tmp.file('s.zarr');
beforeAll(async () => {
  const spec = writeSpec(tmp.file('spec.json'), browsableSpec({ dtype: 'float32' }));
  const r = await rte(['sweep', 'run', spec, '--out', store, '--workers', '1']);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

describe('sweep store reader', () => {
  it('lists every case with its parameters and reads a case as python3-zarr does', async () => {
    const s = await openSweepStore(folder(store));
    expect(s.done).toEqual([0, 1]);
    expect(s.attrs.params).toEqual(['a', 's']);
    expect(s.cases.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(s.cases[4]!.params).toEqual([0.2, 2]);
    expect(Object.keys(s.arrays).sort()).toEqual(
      [
        'E',
        'T',
        'grad_sigma',
        'jac_E_r1_sigma_cols',
        'jac_E_r1_sigma_rows',
        'jac_E_r1_sigma_vals',
        'params',
        't',
        'x',
      ].sort(),
    );
    const E = await readCase(s, 'E', 5);
    expect(E.shape).toEqual([s.arrays.E!.shape[1], 16]);
    const rows = await readWhole(s, 'jac_E_r1_sigma_rows');
    if (!hasPythonZarr()) return console.log('python3-zarr is not installed: values not compared');
    const py = python(
      store,
      'print(json.dumps({"E": g["E"][5].ravel().tolist(), "grad": g["grad_sigma"][5].tolist(), "t": g["t"][:].tolist(), "rows": g["jac_E_r1_sigma_rows"][:].tolist()}))',
    );
    expect([...E.values]).toEqual(py.E);
    expect([...(await readCase(s, 'grad_sigma', 5)).values]).toEqual(py.grad);
    expect([...(await readWhole(s, 't'))]).toEqual(py.t);
    expect([...rows]).toEqual(py.rows);
  });

  it('shows a partial store’s finished shards only and refuses a case of a missing one', async () => {
    const partial = tmp.file('partial.zarr');
    cpSync(store, partial, { recursive: true });
    rmSync(join(partial, '.sweep/done/1.json'));
    rmSync(join(partial, 'E/1.0.0'));
    const s = await openSweepStore(folder(partial));
    expect(s.done).toEqual([0]);
    expect(s.attrs.shards).toBe(2);
    expect(s.cases.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    await expect(readCase(s, 'E', 5)).rejects.toThrow('case 5 is in shard 1, which has not finished');
  });

  it('refuses a folder that is not a store, and a Zarr group not made by rte sweep', async () => {
    const plain = tmp.file('plain');
    cpSync(join(store, 'x'), plain, { recursive: true });
    await expect(openSweepStore(folder(plain))).rejects.toThrow(/this folder is not a Zarr store/);
    const other = tmp.file('other.zarr');
    cpSync(store, other, { recursive: true });
    writeFileSync(join(other, '.zattrs'), '{"title": "something else"}');
    const err = await openSweepStore(folder(other)).catch((e) => e);
    expect(err).toBeInstanceOf(SweepStoreError);
    expect(err.message).toMatch(/not made by rte sweep \(its \.zattrs has no valid rte_sweep attribute\)/);
  });
});
