/** Every bad input: exit code 2, exactly one line on stderr naming the problem, nothing on stdout, no files. */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tensor } from '../../core';
import { loadReference } from '../helpers/reference';
import { gridFlags, runCli, SMALL, scratch, smallInputs } from './run-cli';

const tmp = scratch();
afterAll(tmp.cleanup);

const grid = gridFlags(SMALL.N32_V4);
const Tini = loadReference('small_N32_V4_Tini_f64');
const sigma = loadReference('small_N32_V4_sigma_f64');
const withValue = (t: typeof Tini, at: number, v: number) => {
  const data = t.toTypedArray();
  data[at] = v;
  return tensor(data, { shape: t.shape });
};
const files = {
  tini: tmp.write('tini.npy', Tini),
  sigma: tmp.write('sigma.npy', sigma),
  short: tmp.write('short.npy', Tini.get(':', '1:')),
  cube: tmp.write('cube.npy', Tini.reshape(2, 2, 32)),
  int32: tmp.write('int32.npy', tensor(new Int32Array(4 * 32).fill(1), { shape: [4, 32] })),
  nan: tmp.write('nan.npy', withValue(sigma, 70, Number.NaN)),
  inf: tmp.write('inf.npy', withValue(Tini, 3, Number.POSITIVE_INFINITY)),
  two: tmp.write('two.npy', sigma.get(':2')),
  dir3: tmp.write('dir3.npy', sigma.get(':3')),
  text: join(tmp.dir, 'notes.npy'),
  missing: join(tmp.dir, 'does-not-exist.npy'),
  plainFile: join(tmp.dir, 'plain.txt'),
};
writeFileSync(files.text, 'this is not a .npy file\n');
writeFileSync(files.plainFile, 'x');
const inputs = ['--tini', files.tini, '--sigma', files.sigma];
const jac = ['--output', 'E', '--record', 'final', '--wrt', 'sigma', '--case', '0'];

const cases: [string, string[], RegExp][] = [
  [
    'missing .npy file',
    ['solve', ...grid, '--tini', files.missing, '--sigma', files.sigma],
    /--tini .*does-not-exist\.npy: cannot read .*no such file/,
  ],
  [
    'invalid .npy file',
    ['solve', ...grid, '--tini', files.tini, '--sigma', files.text],
    /--sigma .*notes\.npy: not a \.npy file/,
  ],
  [
    'wrong shape (N)',
    ['solve', ...grid, '--tini', files.short, '--sigma', files.sigma],
    /--tini .*short\.npy: shape \[4,31\] does not fit the grid \(allowed: \[B,32\]/,
  ],
  [
    'wrong shape (rank 3)',
    ['solve', ...grid, '--tini', files.cube, '--sigma', files.sigma],
    /shape \[2,2,32\] does not fit/,
  ],
  [
    'case counts differ',
    ['solve', ...grid, '--tini', files.tini, '--sigma', files.two],
    /--tini holds 4 case\(s\) and --sigma 2/,
  ],
  [
    'wrong dtype',
    ['solve', ...grid, '--tini', files.int32, '--sigma', files.sigma],
    /int32\.npy: dtype int32 is not allowed \(allowed: float64, float32\)/,
  ],
  [
    'NaN in an input',
    ['solve', ...grid, '--tini', files.tini, '--sigma', files.nan],
    /--sigma .*nan\.npy: holds NaN at \[2, 6\]; every input value must be finite/,
  ],
  [
    'Inf in an input',
    ['solve', ...grid, '--tini', files.inf, '--sigma', files.sigma],
    /holds Infinity at \[0, 3\]/,
  ],
  [
    'N < 3',
    ['solve', ...gridFlags({ ...SMALL.N32_V4, N: 2 }), '--preset', 'seed'],
    /N must be an integer ≥ 3 \(got 2\)/,
  ],
  [
    'odd Nvx',
    ['solve', ...gridFlags({ ...SMALL.N32_V4, Nvx: 5 }), ...inputs],
    /Nvx must be a positive even integer.*\(got 5\)/,
  ],
  [
    'CFL > 1',
    ['solve', ...gridFlags({ ...SMALL.N32_V4, CFL: 1.2 }), ...inputs],
    /CFL = 1\.2 > 1 is unstable/,
  ],
  [
    't-end = 0',
    ['solve', ...gridFlags({ ...SMALL.N32_V4, tEnd: 0 }), ...inputs],
    /t_end must be a positive number \(got 0\)/,
  ],
  ['repeated flag', ['solve', ...grid, '--t-end=-1', ...inputs], /flag --t-end is given more than once/],
  [
    'negative t-end',
    ['solve', ...grid.slice(0, 6), '--t-end=-1', '--every', '5', ...inputs],
    /t_end must be a positive number \(got -1\)/,
  ],
  [
    'every = 0',
    ['solve', ...gridFlags({ ...SMALL.N32_V4, every: 0 }), ...inputs],
    /every .* must be a positive integer \(got 0\)/,
  ],
  [
    'non-numeric N',
    ['solve', ...grid.slice(2), '--N', 'abc', ...inputs],
    /--N must be an integer \(got 'abc'\)/,
  ],
  [
    'non-numeric CFL',
    ['solve', ...grid.slice(0, 4), '--cfl', '0.8x', ...grid.slice(6), ...inputs],
    /--cfl must be a finite number \(got '0\.8x'\)/,
  ],
  [
    'unknown flag',
    ['solve', ...grid, ...inputs, '--sigmaa', files.sigma],
    /unknown flag --sigmaa \(allowed: --N .*--backend --max-memory --max-work\)/,
  ],
  ['missing flag', ['solve', ...grid.slice(2), ...inputs], /missing flag --N \(number of cells/],
  [
    'missing --sigma',
    ['solve', ...grid, '--tini', files.tini],
    /missing flag --sigma \(give --tini FILE\.npy and --sigma FILE\.npy, or --preset seed\)/,
  ],
  [
    'preset with files',
    ['solve', ...grid, '--preset', 'seed', '--tini', files.tini],
    /--preset replaces --tini and --sigma/,
  ],
  [
    'bad enum value',
    ['solve', ...grid, ...inputs, '--dtype', 'float16'],
    /--dtype must be one of float64, float32 \(got 'float16'\)/,
  ],
  [
    'flag without value',
    ['solve', ...grid, ...inputs, '--dtype'],
    /flag --dtype needs a value \(float64\|float32\)/,
  ],
  [
    'flag without value, last',
    ['solve', ...grid, ...inputs, '--out', join(tmp.dir, 'x'), '--nvx'],
    /flag --nvx needs a value \(v\)/,
  ],
  [
    'switch given a value',
    ['solve', ...grid, ...inputs, '--allow-unstable=yes'],
    /flag --allow-unstable is a switch and takes no value/,
  ],
  ['positional argument', ['solve', ...grid, ...inputs, 'extra'], /Unexpected argument 'extra'/],
  [
    'unknown command',
    ['integrate', ...grid],
    /unknown command 'integrate' \(allowed: solve, grad, jacobian, jvp/,
  ],
  ['no command', [], /missing command \(allowed: solve, grad, jacobian, jvp/],
  [
    '--case out of range',
    ['jacobian', ...smallInputs('N32_V4'), ...jac.slice(0, 6), '--case', '4'],
    /--case 4 is out of range: the inputs hold 4 case\(s\) \(0\.\.3\)/,
  ],
  [
    '--case negative',
    ['jacobian', ...smallInputs('N32_V4'), ...jac.slice(0, 6), '--case=-1'],
    /--case must be a case index 0, 1, \.\.\. \(got '-1'\)/,
  ],
  [
    '--record out of range',
    ['jacobian', ...smallInputs('N32_V4'), '--output', 'E', '--record', '2', '--wrt', 'sigma', '--case', '0'],
    /record 2 is out of range: this grid records R = 2 steps \(0\.\.1\)/,
  ],
  [
    '--record not a number',
    [
      'jacobian',
      ...smallInputs('N32_V4'),
      '--output',
      'E',
      '--record',
      'last',
      '--wrt',
      'sigma',
      '--case',
      '0',
    ],
    /--record must be 'final' or a record index/,
  ],
  [
    'unknown --mode',
    ['jacobian', ...smallInputs('N32_V4'), ...jac, '--mode', 'banded'],
    /--mode must be one of fwd, rev, sparse \(got 'banded'\)/,
  ],
  [
    'grad without --objective',
    ['grad', ...smallInputs('N32_V4'), '--wrt', 'sigma'],
    /grad: missing flag --objective/,
  ],
  [
    'probe-E without --x0',
    ['grad', ...smallInputs('N32_V4'), '--wrt', 'sigma', '--objective', 'probe-E'],
    /grad: --objective probe-E needs --x0/,
  ],
  [
    'sum-final-E given a --record it does not read',
    ['grad', ...smallInputs('N32_V4'), '--wrt', 'sigma', '--objective', 'sum-final-E', '--record', '1'],
    /grad: --objective sum-final-E does not read --record/,
  ],
  [
    'mean-T at a record past the run',
    ['grad', ...smallInputs('N32_V4'), '--wrt', 'sigma', '--objective', 'mean-T', '--record', '2'],
    /record 2 is out of range: this grid records R = 2 times \(0\.\.1, or -1 for the last\)/,
  ],
  [
    'jvp direction of the wrong case count',
    ['jvp', ...smallInputs('N32_V4'), '--wrt', 'sigma', '--direction', files.dir3],
    /--direction .*dir3\.npy: holds 3 case\(s\) but the inputs hold 4/,
  ],
  [
    'NaN in a jvp direction',
    ['jvp', ...smallInputs('N32_V4'), '--wrt', 'Tini', '--direction', files.nan],
    /--direction .*nan\.npy: holds NaN/,
  ],
  [
    '--out is a file',
    ['solve', ...grid, ...inputs, '--out', files.plainFile],
    /--out .*plain\.txt: exists and is not a directory/,
  ],
  [
    '--out below a file',
    ['solve', ...grid, ...inputs, '--out', join(files.plainFile, 'sub')],
    /--out .*plain\.txt\/sub: cannot be created: .*plain\.txt is not a directory/,
  ],
];

describe('bad input: exit 2, one stderr line, no outputs', () => {
  it.each(cases)('%s', (_, args, message) => {
    const out = join(tmp.dir, 'out-never-written');
    const hasOut = args.includes('--out');
    const r = runCli(hasOut || args.length < 2 ? args : [...args, '--out', out]);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^rte: /);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('left only the inputs in the scratch directory', () => {
    const names = readdirSync(tmp.dir).sort();
    expect(names).toEqual(
      [
        ...Object.values(files)
          .map((f) => f.slice(tmp.dir.length + 1))
          .filter((n) => !n.startsWith('does-not')),
      ].sort(),
    );
  });
});
