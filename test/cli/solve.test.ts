import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { rand } from '../../core';
import { seedCases, solveBatch } from '../../core/rte/index';
import { loadReference, relErr } from '../helpers/reference';
import { gridFlags, readNpy, repoRoot, reportOf, runCli, SMALL, scratch, smallInputs } from './run-cli';

const tmp = scratch();
afterAll(tmp.cleanup);

describe('rte solve', () => {
  it.each(['N32_V4', 'N48_V6'] as const)('matches the small_%s reference E and T at 1e-10', (tag) => {
    const out = tmp.file(`small-${tag}`);
    const report = reportOf(runCli(['solve', ...smallInputs(tag), '--out', out]));
    const E = readNpy(`${out}/E.npy`);
    const T = readNpy(`${out}/T.npy`);
    const Eref = loadReference(`small_${tag}_E_f64`);
    expect(E.shape).toEqual(Eref.shape);
    expect(relErr(E, Eref)).toBeLessThan(1e-10);
    expect(relErr(T, loadReference(`small_${tag}_T_f64`))).toBeLessThan(1e-10);
    // auto with float64: compiled by core's WebAssembly target, still at the reference accuracy
    expect(report).toMatchObject({
      command: 'solve',
      backend: 'wasm',
      dtype: 'float64',
      shapes: { Tini: [4, SMALL[tag].N], E: Eref.shape, T: Eref.shape },
    });
    expect(report.seconds).toBeGreaterThan(0);
  });

  it("the issue's seed command (the preset gives the seed's grid) reproduces seed_E_f64 and seed_T_f64", () => {
    const out = tmp.file('seed');
    const args = ['solve', '--preset', 'seed', '--backend', 'wasm', '--out', out];
    const r = spawnSync('npm', ['run', '--silent', 'rte', '--', ...args], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    const report = reportOf({ code: r.status, stdout: r.stdout, stderr: r.stderr });
    expect(report).toMatchObject({ backend: 'wasm', dtype: 'float64' });
    expect(report.shapes.E).toEqual([4, 50, 400]);
    expect(relErr(readNpy(`${out}/E.npy`), loadReference('seed_E_f64'))).toBeLessThan(1e-10);
    expect(relErr(readNpy(`${out}/T.npy`), loadReference('seed_T_f64'))).toBeLessThan(1e-10);
  });

  it('a grid flag given beside --preset seed replaces the seed value; without the preset each is required', () => {
    const out = tmp.file('seed-coarse');
    const report = reportOf(
      runCli(['solve', '--preset', 'seed', '--N', '40', '--t-end', '0.1', '--out', out]),
    );
    // N and t-end given, Nvx, CFL and every from the seed
    expect(report.shapes.Tini).toEqual([4, 40]);
    const E = readNpy(`${out}/E.npy`);
    const { Tini, sigma } = seedCases(40);
    const want = solveBatch({ N: 40, Nvx: 8, CFL: 0.8, tEnd: 0.1, every: 10 }, Tini, sigma).E;
    expect(E.shape).toEqual(want.shape);
    expect(relErr(E, want)).toBeLessThan(1e-12);
    const missing = runCli([
      'solve',
      '--N',
      '40',
      '--nvx',
      '8',
      '--cfl',
      '0.8',
      '--t-end',
      '0.1',
      '--out',
      out,
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /solve: missing flag --every \(record E and T every k steps .*or --preset seed/,
    );
  });

  it('one case given as [N] comes back as [1,R,N]; under npm, relative paths start where npm was called', () => {
    const ref = loadReference('small_N32_V4_E_f64');
    tmp.write('one-Tini.npy', loadReference('small_N32_V4_Tini_f64').get(2));
    tmp.write('one-sigma.npy', loadReference('small_N32_V4_sigma_f64').get(2));
    const args = [
      ...gridFlags(SMALL.N32_V4),
      '--tini',
      'one-Tini.npy',
      '--sigma',
      'one-sigma.npy',
      '--out',
      'one',
    ];
    const r = spawnSync('npm', ['--prefix', repoRoot, 'run', '--silent', 'rte', '--', 'solve', ...args], {
      cwd: tmp.dir,
      encoding: 'utf8',
    });
    const report = reportOf({ code: r.status, stdout: r.stdout, stderr: r.stderr });
    expect(report.files).toEqual([tmp.file('one/E.npy'), tmp.file('one/T.npy')]);
    const E = readNpy(tmp.file('one/E.npy'));
    expect(E.shape).toEqual([1, ref.shape[1], 32]);
    expect(report.shapes.Tini).toEqual([1, 32]);
    expect(relErr(E.get(0), ref.get(2))).toBeLessThan(1e-10);
  });

  it('a held-out random batch: the CLI equals calling solveBatch directly, bit for bit', () => {
    const spec = { N: 24, Nvx: 6, CFL: 0.7, tEnd: 0.2, every: 3 };
    const Tini = rand([3, 24], { seed: 20240611, low: 0.6, high: 1.4 });
    const sigma = rand([3, 24], { seed: 7, low: 0.1, high: 3.1 });
    const out = tmp.file('heldout');
    reportOf(
      runCli([
        'solve',
        ...gridFlags(spec),
        '--tini',
        tmp.write('h-Tini.npy', Tini),
        '--sigma',
        tmp.write('h-sigma.npy', sigma),
        '--out',
        out,
        '--backend',
        'eager',
      ]),
    );
    const direct = solveBatch(spec, Tini, sigma);
    expect(Array.from(readNpy(`${out}/E.npy`).data)).toEqual(Array.from(direct.E.toTypedArray()));
    expect(Array.from(readNpy(`${out}/T.npy`).data)).toEqual(Array.from(direct.T.toTypedArray()));
  });

  it('--dtype float32 writes float32 outputs within 1e-4 of the float64 result', () => {
    const out = tmp.file('f32');
    const report = reportOf(runCli(['solve', ...smallInputs('N48_V6'), '--out', out, '--dtype', 'float32']));
    expect(report.dtype).toBe('float32');
    const E = readNpy(`${out}/E.npy`);
    expect(E.dtype).toBe('float32');
    const err = relErr(E, loadReference('small_N48_V6_E_f64'));
    expect(err).toBeLessThan(1e-4);
    expect(err).toBeGreaterThan(0); // it really ran in float32
    expect(relErr(readNpy(`${out}/T.npy`), loadReference('small_N48_V6_T_f64'))).toBeLessThan(1e-4);
  });

  it('--allow-unstable runs a CFL = 1.2 grid, equal to the core solver', () => {
    const out = tmp.file('unstable');
    const spec = { ...SMALL.N32_V4, CFL: 1.2 };
    const report = reportOf(
      runCli(['solve', ...gridFlags(spec), '--preset', 'seed', '--allow-unstable', '--out', out]),
    );
    const { Tini, sigma } = seedCases(32);
    const direct = solveBatch(spec, Tini, sigma, { allowUnstable: true });
    expect(report.shapes.E).toEqual(direct.E.shape);
    expect(relErr(readNpy(`${out}/E.npy`), direct.E)).toBe(0);
  });
});
