/** `jacobian --mode sparse` and `--pattern-out FILE.mtx`: compressed Jacobians through the CLI. */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../core'; // the core's entry installs the CPU backend (reading the references needs it)
import type { Tensor } from '../../core';
import { loadReference, relErr } from '../helpers/reference';
import { gridFlags, readNpy, reportOf, runCli, SMALL, scratch, smallInputs } from './run-cli';

const tmp = scratch();
afterAll(tmp.cleanup);

/** A Matrix Market coordinate file read without the core's reader: banner, size line, 1-based entries. */
function parseMtx(path: string) {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  const body = lines.filter((l) => !l.startsWith('%'));
  const [rows, cols, nnz] = body[0]!.trim().split(/\s+/).map(Number) as [number, number, number];
  const entries = body.slice(1).map((l) => l.trim().split(/\s+/).map(Number));
  return { banner: lines[0]!, rows, cols, nnz, entries };
}

/** "i,j" (0-based) of every entry of an .mtx file. */
const mtxKeys = (m: ReturnType<typeof parseMtx>) => new Set(m.entries.map(([i, j]) => `${i! - 1},${j! - 1}`));

/** "i,j" of every nonzero of a dense matrix. */
function nonzeros(J: Tensor): Set<string> {
  const [m, n] = [J.shape[0]!, J.shape[1]!];
  const data = J.concrete('nonzeros').data;
  const keys = new Set<string>();
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) if (data[i * n + j] !== 0) keys.add(`${i},${j}`);
  return keys;
}

// N = 32 cells, Nt = 40 steps, records every 5 steps (R = 8): record 1 (step 5) is a periodic band of
// 9 columns per row, the final record 7 (step 35) is full (information has crossed the whole domain).
const GRID = [...gridFlags({ N: 32, Nvx: 4, CFL: 0.8, tEnd: 1, every: 5 }), '--preset', 'seed'];
const N = 32;
const jac = (record: string, mode: string, out: string, more: string[] = []) =>
  reportOf(
    runCli([
      'jacobian',
      ...GRID,
      '--output',
      'E',
      '--record',
      record,
      '--wrt',
      'sigma',
      '--case',
      '2',
      '--mode',
      mode,
      '--out',
      out,
      ...more,
    ]),
  );

describe('jacobian --mode sparse on a small grid', () => {
  const fwd: Record<string, Tensor> = {};
  beforeAll(() => {
    for (const r of ['1', '7']) {
      jac(r, 'fwd', tmp.file(`fwd-${r}`));
      fwd[r] = readNpy(tmp.file(`fwd-${r}/jacobian.npy`));
    }
  });

  it('an early record: fewer passes than N, the same Jacobian as fwd, the detected pattern as .mtx', () => {
    const out = tmp.file('sparse-1');
    const mtx = tmp.file('sparse-1.mtx');
    const report = jac('1', 'sparse', out, ['--pattern-out', mtx]);
    const J = readNpy(`${out}/jacobian.npy`);
    expect(report).toMatchObject({ mode: 'sparse', record: 1, dense: false, shapes: { jacobian: [N, N] } });
    expect(report.files).toEqual([`${out}/jacobian.npy`, mtx]);
    expect(report.passes).toBe(report.colors);
    expect(report.passes).toBeLessThan(N);
    expect(report.colors).toBeGreaterThanOrEqual(9); // 9 nonzeros in a row need 9 colours
    expect(report.nnz).toBe(N * 9);
    for (const k of ['seconds', 'detect_seconds', 'color_seconds', 'eval_seconds'])
      expect(report[k]).toBeGreaterThanOrEqual(0);
    expect(relErr(J, fwd['1']!)).toBeLessThan(1e-12);

    const m = parseMtx(mtx);
    expect(m.banner).toBe('%%MatrixMarket matrix coordinate pattern general');
    expect([m.rows, m.cols, m.nnz]).toEqual([N, N, report.nnz]);
    expect(m.entries).toHaveLength(report.nnz);
    expect(m.entries.every((e) => e.length === 2)).toBe(true);
    expect(mtxKeys(m)).toEqual(nonzeros(J));
  });

  it('the final record: a full pattern, reported dense, N passes, the same Jacobian as fwd', () => {
    const out = tmp.file('sparse-7');
    const report = jac('final', 'sparse', out);
    expect(report).toMatchObject({ record: 7, dense: true, passes: N, colors: N, nnz: N * N });
    expect(relErr(readNpy(`${out}/jacobian.npy`), fwd['7']!)).toBeLessThan(1e-12);
  });

  it('--pattern-out with another mode detects the pattern; --pattern-values writes J on it', () => {
    const out = tmp.file('rev-1');
    const mtx = join(out, 'values.mtx'); // inside --out, which does not exist yet
    const report = jac('1', 'rev', out, ['--pattern-out', mtx, '--pattern-values']);
    expect(report.nnz).toBe(N * 9);
    expect(report.detect_seconds).toBeGreaterThanOrEqual(0);
    const J = readNpy(`${out}/jacobian.npy`);
    expect(relErr(J, fwd['1']!)).toBeLessThan(1e-12);
    const m = parseMtx(mtx);
    expect(m.banner).toBe('%%MatrixMarket matrix coordinate real general');
    expect([m.rows, m.cols, m.nnz, m.entries.length]).toEqual([N, N, N * 9, N * 9]);
    expect(mtxKeys(m)).toEqual(nonzeros(J));
    const data = J.data;
    // values are written as the shortest text that reads back to the same double
    expect(m.entries.every(([i, j, v]) => data[(i! - 1) * N + (j! - 1)] === v)).toBe(true);
  });

  it('matches the reference Jacobian of small_N32_V4 (final record, w.r.t. Tini) at 1e-10', () => {
    const out = tmp.file('ref-N32');
    const args = ['--output', 'E', '--record', 'final', '--wrt', 'Tini', '--case', '3', '--mode', 'sparse'];
    const report = reportOf(runCli(['jacobian', ...smallInputs('N32_V4'), ...args, '--out', out]));
    expect(report.dense).toBe(false);
    expect(report.passes).toBeLessThan(SMALL.N32_V4.N);
    const ref = loadReference('small_N32_V4_jac_Efinal_dTini_f64').get(3);
    expect(relErr(readNpy(`${out}/jacobian.npy`), ref)).toBeLessThan(1e-10);
  });
});

describe('jacobian --mode sparse on the seed grid (N = 400, record 4)', () => {
  it('∂E(record 4)/∂σ, case 0: a band of 79 per row, ≤ 84 colours, equal to the reference', () => {
    const out = tmp.file('seed-4');
    const mtx = tmp.file('seed-4.mtx');
    const seed = gridFlags({ N: 400, Nvx: 8, CFL: 0.8, tEnd: 1, every: 10 });
    const args = ['--output', 'E', '--record', '4', '--wrt', 'sigma', '--case', '0', '--mode', 'sparse'];
    const report = reportOf(
      runCli(['jacobian', ...seed, '--preset', 'seed', ...args, '--out', out, '--pattern-out', mtx]),
    );
    expect(report.nnz).toBe(400 * 79);
    expect(report.colors).toBeLessThanOrEqual(84);
    expect(report.passes).toBe(report.colors);
    expect(report.dense).toBe(false);
    const ref = loadReference('jac_E4_dsigma_f64');
    expect(relErr(readNpy(`${out}/jacobian.npy`), ref)).toBeLessThan(1e-10);
    const m = parseMtx(mtx);
    expect([m.rows, m.cols, m.nnz, m.entries.length]).toEqual([400, 400, 400 * 79, 400 * 79]);
    expect(mtxKeys(m)).toEqual(nonzeros(ref));
  });
});

describe('--pattern-out: bad input exits 2 with one stderr line and writes nothing', () => {
  const bad = scratch();
  afterAll(bad.cleanup);
  const base = [
    ...smallInputs('N32_V4'),
    '--output',
    'E',
    '--record',
    'final',
    '--wrt',
    'sigma',
    '--case',
    '0',
  ];
  const cases: [string, string[], RegExp][] = [
    [
      'into a missing directory',
      ['--mode', 'sparse', '--pattern-out', bad.file('no-such-dir/p.mtx')],
      /--pattern-out .*no-such-dir\/p\.mtx: its directory .*no-such-dir does not exist/,
    ],
    [
      'a name that is not .mtx',
      ['--mode', 'sparse', '--pattern-out', bad.file('p.txt')],
      /--pattern-out must name a Matrix Market file ending in \.mtx \(got '.*p\.txt'\)/,
    ],
    ['a directory', ['--pattern-out', `${bad.dir}/`], /--pattern-out must name a Matrix Market file/],
    [
      'an existing directory named .mtx',
      ['--pattern-out', bad.file('d.mtx')],
      /--pattern-out .*d\.mtx: is a directory/,
    ],
    [
      '--pattern-values alone',
      ['--mode', 'sparse', '--pattern-values'],
      /--pattern-values needs --pattern-out FILE\.mtx/,
    ],
  ];
  beforeAll(() => {
    mkdirSync(bad.file('d.mtx')); // a directory named like an .mtx file
  });

  it.each(cases)('%s', (_, more, message) => {
    const out = bad.file('out-never-written');
    const r = runCli(['jacobian', ...base, '--out', out, ...more]);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^rte: /);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(bad.dir)).toEqual(['d.mtx']);
  });
});

describe('jacobian --help', () => {
  it('documents the sparse mode, --pattern-out and --pattern-values', () => {
    const r = runCli(['jacobian', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--mode fwd\|rev\|sparse .*sparse: detect the sparsity pattern/);
    expect(r.stdout).toMatch(/--pattern-out FILE\.mtx +.*Matrix Market/);
    expect(r.stdout).toMatch(/--pattern-values +with --pattern-out/);
    expect(r.stdout).toMatch(/reports nnz, colors, passes, dense/);
  });
});
