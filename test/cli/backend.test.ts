/** --backend: the compiled (jit, float32) paths against the eager reference, and the refusals. */
import { afterAll, describe, expect, it } from 'vitest';
import { rand } from '../../core';
import { loadReference, relErr } from '../helpers/reference';
import { gridFlags, readNpy, reportOf, runCli, scratch, smallInputs } from './run-cli';

const tmp = scratch();
afterAll(tmp.cleanup);
const F32 = ['--dtype', 'float32'];

describe('rte --backend', () => {
  it('solve on webasm (float32) matches the float64 reference within 1e-4 and says webasm', () => {
    const out = tmp.file('solve-webasm');
    const report = reportOf(
      runCli(['solve', ...smallInputs('N32_V4'), '--out', out, '--backend', 'webasm', ...F32]),
    );
    expect(report).toMatchObject({ command: 'solve', backend: 'webasm', dtype: 'float32' });
    const E = readNpy(`${out}/E.npy`);
    expect(E.dtype).toBe('float32');
    expect(relErr(E, loadReference('small_N32_V4_E_f64'))).toBeLessThan(1e-4);
    expect(relErr(readNpy(`${out}/T.npy`), loadReference('small_N32_V4_T_f64'))).toBeLessThan(1e-4);
  });

  it('solve on webgpu finishes, exits and matches the reference (Dawn on a software GPU here)', () => {
    const out = tmp.file('solve-webgpu');
    const started = performance.now();
    const report = reportOf(
      runCli(['solve', ...smallInputs('N32_V4'), '--out', out, '--backend', 'webgpu', ...F32]),
    );
    expect((performance.now() - started) / 1000).toBeLessThan(60);
    // Where Dawn cannot load, jit falls back (with a note) to another compiled backend.
    if (process.env.RTE_REQUIRE_WEBGPU) expect(report.backend).toBe('webgpu');
    else expect(['webgpu', 'webasm', 'cpu']).toContain(report.backend);
    expect(relErr(readNpy(`${out}/E.npy`), loadReference('small_N32_V4_E_f64'))).toBeLessThan(1e-4);
  });

  it('solve on --backend cpu (gpu.js cpu) works and says cpu', () => {
    const out = tmp.file('solve-cpu');
    const report = reportOf(
      runCli(['solve', ...smallInputs('N32_V4'), '--out', out, '--backend', 'cpu', ...F32]),
    );
    expect(report).toMatchObject({ backend: 'cpu', dtype: 'float32' });
    expect(relErr(readNpy(`${out}/E.npy`), loadReference('small_N32_V4_E_f64'))).toBeLessThan(1e-4);
  });

  it('grad on webasm matches eager within 1e-3', () => {
    const args = ['grad', ...smallInputs('N32_V4'), '--objective', 'sum-final-E', '--wrt', 'sigma', ...F32];
    const a = reportOf(runCli([...args, '--out', tmp.file('g-w'), '--backend', 'webasm']));
    const b = reportOf(runCli([...args, '--out', tmp.file('g-e'), '--backend', 'eager']));
    expect([a.backend, b.backend]).toEqual(['webasm', 'eager']);
    const gw = readNpy(tmp.file('g-w/grad.npy'));
    expect(relErr(gw, readNpy(tmp.file('g-e/grad.npy')))).toBeLessThan(1e-3);
    expect(relErr(gw, loadReference('small_N32_V4_grad_sumEfinal_dsigma_f64'))).toBeLessThan(1e-3);
  });

  it('jvp and jacobian (fwd) on webasm match eager', () => {
    const dir = tmp.write('dir.npy', rand([32], { seed: 7, dtype: 'float32' }));
    const jvp = ['jvp', ...smallInputs('N32_V4'), '--wrt', 'sigma', '--direction', dir, ...F32];
    expect(reportOf(runCli([...jvp, '--out', tmp.file('j-w'), '--backend', 'webasm'])).backend).toBe(
      'webasm',
    );
    reportOf(runCli([...jvp, '--out', tmp.file('j-e'), '--backend', 'eager']));
    for (const f of ['jvp_E.npy', 'jvp_T.npy'])
      expect(relErr(readNpy(tmp.file(`j-w/${f}`)), readNpy(tmp.file(`j-e/${f}`)))).toBeLessThan(1e-3);
    const jac = [
      'jacobian',
      ...smallInputs('N32_V4'),
      '--output',
      'E',
      '--record',
      'final',
      '--wrt',
      'sigma',
    ];
    const r = reportOf(
      runCli([...jac, '--case', '0', '--out', tmp.file('jac'), '--backend', 'webasm', ...F32]),
    );
    expect(r).toMatchObject({ backend: 'webasm', mode: 'fwd' });
    const ref = loadReference('small_N32_V4_jac_Efinal_dsigma_f64');
    const J = readNpy(tmp.file('jac/jacobian.npy'));
    expect(relErr(J, ref.shape.length === 3 ? ref.get(0) : ref)).toBeLessThan(1e-3);
  });

  it('a held-out random input gives the same answer on webasm as on eager (1e-4)', () => {
    const spec = { N: 24, Nvx: 6, CFL: 0.7, tEnd: 0.2, every: 3 };
    const Tini = rand([3, 24], { seed: 11, dtype: 'float32' }).mul(0.8).add(0.2);
    const sigma = rand([3, 24], { seed: 12, dtype: 'float32' }).mul(20).add(1);
    const common = [
      'solve',
      ...gridFlags(spec),
      '--tini',
      tmp.write('h-T.npy', Tini),
      '--sigma',
      tmp.write('h-s.npy', sigma),
      ...F32,
    ];
    expect(reportOf(runCli([...common, '--out', tmp.file('h-w'), '--backend', 'webasm'])).backend).toBe(
      'webasm',
    );
    reportOf(runCli([...common, '--out', tmp.file('h-e'), '--backend', 'eager']));
    for (const f of ['E.npy', 'T.npy'])
      expect(relErr(readNpy(tmp.file(`h-w/${f}`)), readNpy(tmp.file(`h-e/${f}`)))).toBeLessThan(1e-4);
  });

  it('refuses webgl2 in Node, and a compiled backend with float64, with exit 2 and one stderr line', () => {
    for (const [extra, msg] of [
      [['--backend', 'webgl2'], /webgl2 is not available.*browser/],
      [['--backend', 'webasm'], /float32/],
    ] as const) {
      const r = runCli(['solve', ...smallInputs('N32_V4'), '--out', tmp.file('never'), ...extra]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
  });
});
