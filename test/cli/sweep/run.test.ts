/**
 * `rte sweep run` end to end: a small sweep read back by python3-zarr and spot-checked against `rte solve` and
 * `rte grad`; a kill and an interrupt followed by resumes that end equal to an uninterrupted run; bad specs
 * and stores refused with one line, leaving an existing store untouched.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSweep } from '../../../cli/sweep/spec';
import { encodeNpy } from '../../../core/io/npy';
import { tensor } from '../../../core/ops/creation';
import { readNpy, scratch } from '../run-cli';
import {
  doneCount,
  hasPythonXarray,
  hasPythonZarr,
  python,
  pythonXarray,
  rte,
  rteAsync,
  snapshot,
  storeFiles,
  waitFor,
  writeSpec,
} from './helpers';

const tmp = scratch();
afterAll(() => tmp.cleanup());

const SPEC = {
  grid: { N: 32, Nvx: 4, CFL: 0.8, t_end: 0.25, every: 3 },
  Tini: '1 + a * sin(2*pi*x)',
  sigma: 's * (1 + 0.5 * gauss(x, 0.5, 0.1))',
  space: { product: { a: [0.1, 0.2, 0.3, 0.4], s: { linspace: [0.5, 2, 4] } } },
  compute: ['solve', { grad: { wrt: 'sigma' } }, { jvp: { wrt: 'sigma', direction: 'cos(2*pi*x)' } }],
  shard_size: 5,
};

const zarrOk = hasPythonZarr();
if (!zarrOk && process.env.CI) throw new Error('python3-zarr is missing: scripts/setup.sh installs it');

describe('rte sweep run', () => {
  const spec = writeSpec(tmp.file('spec.json'), SPEC);
  const store = tmp.file('small.zarr');

  it('runs 16 cases in 4 shards; python3-zarr reads the right shapes, and cases equal rte solve, grad and jvp', async () => {
    const r = await rte(['sweep', 'run', spec, '--out', store, '--workers', '2']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      command: 'sweep run',
      cases: 16,
      shards: 4,
      shards_run: 4,
      backend: 'wasm',
    });
    expect(r.stderr).toMatch(/sweep: 4\/4 shards, 16\/16 cases, [\d.]+ cases\/s/);

    const sweep = loadSweep(spec);
    const R = sweep.R;
    const picks = [0, 7, 15];
    const dir = tmp.file('solve-inputs');
    mkdirSync(dir);
    const stack = (key: 'Tini' | 'sigma') => {
      const flat = new Float64Array(picks.length * 32);
      picks.forEach((c, i) => {
        flat.set(sweep.inputs(c)[key], i * 32);
      });
      writeFileSync(join(dir, `${key}.npy`), encodeNpy(tensor(flat, { shape: [picks.length, 32] })));
    };
    stack('Tini');
    stack('sigma');
    const grid = ['--N', '32', '--nvx', '4', '--cfl', '0.8', '--t-end', '0.25', '--every', '3'];
    const inputs = ['--tini', join(dir, 'Tini.npy'), '--sigma', join(dir, 'sigma.npy'), '--backend', 'wasm'];
    expect((await rte(['solve', ...grid, ...inputs, '--out', join(dir, 'solve')])).code).toBe(0);
    expect(
      (
        await rte([
          'grad',
          ...grid,
          ...inputs,
          '--wrt',
          'sigma',
          '--objective',
          'sum-final-E',
          '--out',
          join(dir, 'grad'),
        ])
      ).code,
    ).toBe(0);
    const direction = tensor(sweep.inputs(0).directions[0]!);
    writeFileSync(join(dir, 'direction.npy'), encodeNpy(direction));
    const jvpArgs = ['jvp', ...grid, ...inputs, '--wrt', 'sigma', '--direction', join(dir, 'direction.npy')];
    expect((await rte([...jvpArgs, '--out', join(dir, 'jvp')])).code).toBe(0);
    const dE = readNpy(join(dir, 'jvp', 'jvp_E.npy'));
    const E = readNpy(join(dir, 'solve', 'E.npy'));
    const T = readNpy(join(dir, 'solve', 'T.npy'));
    const G = readNpy(join(dir, 'grad', 'grad.npy'));

    if (!zarrOk) return console.log('python3-zarr is not installed: the store was not read back with it');
    const got = python(
      store,
      `picks = ${JSON.stringify(picks)}
print(json.dumps({
  "shapes": {k: list(g[k].shape) for k in g.array_keys()},
  "chunks": list(g["E"].chunks),
  "attrs": {k: g.attrs["rte_sweep"][k] for k in ["version", "backend", "dtype", "params", "spec_sha256"]},
  "spec_grid": g.attrs["rte_sweep"]["spec"]["grid"],
  "params": g["params"][:].tolist(),
  "E": [g["E"][c].tolist() for c in picks],
  "T": [g["T"][c].tolist() for c in picks],
  "grad": [g["grad_sigma"][c].tolist() for c in picks],
  "jvp_E": [g["jvp_sigma_E"][c].tolist() for c in picks],
}))`,
    );
    expect(got.shapes).toEqual({
      jvp_sigma_E: [16, R, 32],
      jvp_sigma_T: [16, R, 32],
      E: [16, R, 32],
      T: [16, R, 32],
      grad_sigma: [16, 32],
      params: [16, 2],
      t: [R],
      x: [32],
    });
    expect(got.chunks).toEqual([5, R, 32]);
    expect(got.attrs).toMatchObject({
      backend: 'wasm',
      dtype: 'float64',
      params: ['a', 's'],
      spec_sha256: sweep.sha256,
    });
    expect(got.spec_grid).toEqual(SPEC.grid);
    expect(got.params[7]).toEqual([0.2, 2]);
    picks.forEach((_, i) => {
      expect(got.E[i].flat()).toEqual([...E.data.subarray(i * R * 32, (i + 1) * R * 32)]);
      expect(got.T[i].flat()).toEqual([...T.data.subarray(i * R * 32, (i + 1) * R * 32)]);
      expect(got.grad[i]).toEqual([...G.data.subarray(i * 32, (i + 1) * 32)]);
      expect(got.jvp_E[i].flat()).toEqual([...dE.data.subarray(i * R * 32, (i + 1) * R * 32)]);
    });

    if (!hasPythonXarray())
      return console.log('python3-xarray is not installed: the store was not opened with it');
    const xr = pythonXarray(
      store,
      `print(json.dumps({
  "sizes": dict(ds.sizes),
  "dims": {k: list(ds[k].dims) for k in ["E", "T", "grad_sigma", "jvp_sigma_E", "params"]},
  "coords": sorted(ds.coords),
  "t": ds["t"].values.tolist(),
  "E7": ds["E"].isel(case=7).sel(t=ds["t"][-1]).values.tolist(),
}))`,
    );
    expect(xr.sizes).toEqual({ case: 16, t: R, x: 32, param: 2 });
    expect(xr.dims).toEqual({
      E: ['case', 't', 'x'],
      T: ['case', 't', 'x'],
      grad_sigma: ['case', 'x'],
      jvp_sigma_E: ['case', 't', 'x'],
      params: ['case', 'param'],
    });
    expect(xr.coords).toEqual(['t', 'x']);
    expect(xr.t).toHaveLength(R);
    // the final record of case 7 (picks[1]), selected by its time
    expect(xr.E7).toEqual([...E.data.subarray(1 * R * 32 + (R - 1) * 32, 2 * R * 32)]);
  });

  it('a second run of the same spec finds every shard done and computes nothing', async () => {
    const before = snapshot(store);
    const r = await rte(['sweep', 'run', spec, '--out', store]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ shards_run: 0, shards_done: 4 });
    expect(snapshot(store)).toEqual(before);
  });

  it('refuses a store made by a different spec with one line, leaving it untouched', async () => {
    const other = writeSpec(tmp.file('other.json'), { ...SPEC, sigma: '2 * s' });
    const before = snapshot(store);
    const r = await rte(['sweep', 'run', other, '--out', store]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^rte: --out .*small\.zarr: holds a sweep of a different spec .*give another --out\n$/,
    );
    expect(snapshot(store)).toEqual(before);
  });

  it.each([
    [
      'an unknown field',
      { ...SPEC, shards: 3 },
      /^rte: .*bad\.json: \(top level\): unknown field "shards" \(allowed: .*\)\n$/,
    ],
    [
      'negative σ in one case',
      { ...SPEC, sigma: 's - 1' },
      /sigma: case 0 \(a = 0\.1, s = 0\.5\): -0\.5000 at x = .*; sigma must be ≥ 0/,
    ],
    // the other bad specs are refused by the same path (test/cli/sweep/spec.test.ts covers each)
  ])('refuses %s: exit 2, one line, no store', async (_, bad, message) => {
    const out = tmp.file(`bad-${Math.random()}.zarr`);
    const r = await rte(['sweep', 'run', writeSpec(tmp.file('bad.json'), bad), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(tmp.dir)).not.toContain(out.split('/').pop());
  });

  it('refuses an unwritable store and a non-store directory with one line', async () => {
    writeFileSync(tmp.file('a-file'), 'x');
    const r = await rte(['sweep', 'run', spec, '--out', tmp.file('a-file/store.zarr')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^rte: --out .*a-file\/store\.zarr: cannot create the store \((ENOTDIR|EEXIST)\)\n$/,
    );
    mkdirSync(tmp.file('not-a-store'));
    writeFileSync(tmp.file('not-a-store/keep.txt'), 'x');
    const s = await rte(['sweep', 'run', spec, '--out', tmp.file('not-a-store')]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/exists and is not a sweep store \(a non-empty directory\)/);
    expect(readdirSync(tmp.file('not-a-store'))).toEqual(['keep.txt']);
  });
});

describe('rte sweep run: killed and interrupted runs resume to the uninterrupted result', () => {
  const spec = writeSpec(tmp.file('resume.json'), {
    ...SPEC,
    // ~0.1 s per case here, so a kill lands between shards
    grid: { N: 400, Nvx: 16, CFL: 0.8, t_end: 10, every: 1000 },
    space: { product: { a: [0.1, 0.2, 0.3], s: { linspace: [0.5, 2, 4] } } },
    compute: ['solve'],
    shard_size: 1,
  });
  const reference = tmp.file('reference.zarr');
  const store = tmp.file('resumed.zarr');

  it('SIGKILL mid-run, a chunk left half-written, SIGINT, then a rerun: nothing lost or duplicated', async () => {
    expect((await rte(['sweep', 'run', spec, '--out', reference])).code).toBe(0);
    expect(doneCount(reference)).toBe(12);

    const killed = rteAsync(['sweep', 'run', spec, '--out', store, '--workers', '1']);
    await waitFor(() => doneCount(store) >= 2);
    killed.kill('SIGKILL');
    await killed.done;
    const afterKill = doneCount(store);
    expect(afterKill).toBeLessThan(12);
    // what a kill inside a write leaves: a temporary file, and a chunk of a shard with no marker
    const missing = Array.from({ length: 12 }, (_, k) => k).find(
      (k) => !readdirSync(join(store, '.sweep', 'done')).includes(`${k}.json`),
    )!;
    writeFileSync(join(store, 'E', `${missing}.0.0.99999-1.partial`), 'half');
    writeFileSync(join(store, 'E', `${missing}.0.0`), Buffer.alloc(8 * 400, 7));

    const interrupted = rteAsync(['sweep', 'run', spec, '--out', store, '--workers', '1']);
    await waitFor(() => doneCount(store) > afterKill);
    interrupted.kill('SIGINT');
    const stopped = await interrupted.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(
      /sweep stopped: \d+\/12 shards are in the store; run the same command again/,
    );
    expect(JSON.parse(stopped.stdout)).toMatchObject({ stopped: true });

    const resumed = await rte(['sweep', 'run', spec, '--out', store]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const beforeResume = 12 - JSON.parse(resumed.stdout).shards_run;
    expect(beforeResume).toBeGreaterThan(afterKill);
    expect(doneCount(store)).toBe(12);
    const want = storeFiles(reference);
    const got = storeFiles(store);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [path, bytes] of want) {
      if (path === '.zattrs') continue;
      expect(got.get(path)!.equals(bytes), path).toBe(true);
    }
  }, 240_000);
});
