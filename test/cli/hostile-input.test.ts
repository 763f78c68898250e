/**
 * Hostile and careless input (issues 16 and 17): each gets one line on stderr, exit 2, no outputs, and the
 * previous outputs untouched — refused before any work where the problem can be seen up front.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tensor } from '../../core';
import { loadReference } from '../helpers/reference';
import { gridFlags, repoRoot, runBundled, SMALL, scratch } from './run-cli';

const tmp = scratch();
/** A command line written as one string. */
const words = (line: string) => line.split(' ');
afterAll(tmp.cleanup);

const tiny = [
  '--preset',
  'seed',
  '--N',
  '16',
  '--nvx',
  '4',
  '--cfl',
  '0.8',
  '--t-end',
  '0.1',
  '--every',
  '2',
];
const seedGrid = ['--preset', 'seed', '--nvx', '8', '--cfl', '0.8', '--t-end', '1', '--every', '10'];
const grid = gridFlags(SMALL.N32_V4);
const Tini = loadReference('small_N32_V4_Tini_f64');
const sigma = loadReference('small_N32_V4_sigma_f64');
const filled = (v: number) => tensor(new Float64Array(4 * 32).fill(v), { shape: [4, 32] });
const inputs = { tini: tmp.write('tini.npy', Tini), sigma: tmp.write('sigma.npy', sigma) };

/** A .npy header for `shape` (float64) followed by a sparse data section of `dataBytes` (no disk used). */
function sparseNpy(name: string, shape: number[], dataBytes: number): string {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += `${' '.repeat(63 - ((10 + header.length) % 64))}\n`;
  const head = new Uint8Array(10 + header.length);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  head.set(new TextEncoder().encode(header), 10);
  const path = tmp.file(name);
  const fd = openSync(path, 'w');
  writeSync(fd, head);
  writeSync(fd, new Uint8Array(8), 0, 8, head.length + dataBytes - 8);
  closeSync(fd);
  return path;
}

/** Run and expect a refusal: exit 2, one `rte: ` line matching `message`, nothing on stdout. */
function refused(args: string[], message: RegExp, maxSeconds = 30): void {
  const t0 = Date.now();
  const r = runBundled(args);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^rte: /);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(Date.now() - t0).toBeLessThan(maxSeconds * 1000);
}

describe('outputs: refused up front, previous ones kept (issue 17)', () => {
  it('the issue repro: T.npy is a directory, E.npy holds an older result', () => {
    const out = tmp.file('o');
    mkdirSync(join(out, 'T.npy', 'x'), { recursive: true });
    writeFileSync(join(out, 'E.npy'), 'OLD\n');
    refused(
      ['solve', ...tiny, '--out', out],
      /--out .*\/o: .*\/o\/T\.npy is a directory; the output T\.npy cannot go there/,
    );
    expect(readFileSync(join(out, 'E.npy'), 'utf8')).toBe('OLD\n');
    expect(readdirSync(out).sort()).toEqual(['E.npy', 'T.npy']);
    expect(readdirSync(join(out, 'T.npy'))).toEqual(['x']);
  });

  it('E.npy is a directory', () => {
    const out = tmp.file('e-dir');
    mkdirSync(join(out, 'E.npy'), { recursive: true });
    refused(['solve', ...tiny, '--out', out], /E\.npy is a directory/);
    expect(readdirSync(out)).toEqual(['E.npy']);
  });

  it('jacobian.npy is a directory', () => {
    const out = tmp.file('j-dir');
    mkdirSync(join(out, 'jacobian.npy'), { recursive: true });
    const jac = ['--output', 'E', '--record', 'final', '--wrt', 'sigma', '--case', '0'];
    refused(['jacobian', ...tiny, ...jac, '--out', out], /jacobian\.npy is a directory/);
    expect(readdirSync(out)).toEqual(['jacobian.npy']);
  });

  it('--out /proc/x is refused at once (a recursive mkdir there used to spin forever)', () => {
    refused(
      ['solve', ...tiny, '--out', '/proc/x'],
      /^rte: --out \/proc\/x: cannot create files in \/proc/,
      20,
    );
  });

  const asNobody = (args: string[]) =>
    spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...args], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
  const canSwitchUser =
    process.getuid?.() === 0 && asNobody(['-e', `require('fs').accessSync('scripts/rte.mjs')`]).status === 0;
  it.skipIf(!canSwitchUser)("another user's T.npy in a sticky folder (run as nobody)", () => {
    execFileSync(process.execPath, ['scripts/rte.mjs', '--help'], { cwd: repoRoot }); // the bundle, built as root
    const out = tmp.file('sticky');
    chmodSync(tmp.dir, 0o755); // mkdtemp made it private to root
    mkdirSync(out);
    execFileSync('chmod', ['1777', out]);
    writeFileSync(join(out, 'T.npy'), 'ROOT');
    const r = asNobody(['scripts/rte.mjs', 'solve', ...tiny, '--out', out]);
    expect(r.stderr).toMatch(/T\.npy belongs to another user \(uid 0\) in a folder with the sticky bit/);
    expect(r.status).toBe(2);
    expect(readdirSync(out)).toEqual(['T.npy']);
  });
});

describe('sizes checked before any work (issue 16)', () => {
  const tooLarge = /this run is too large: .* over the memory budget of 4\.00 GiB .*--max-memory SIZE\)\n$/;
  it.each([
    ['--N 10000000', ['--N', '10000000'], tooLarge],
    ['--N 1e7', ['--N', '1e7'], tooLarge],
    ['--N 1e9', ['--N', '1e9'], /time steps is more than this solver runs/],
    ['--N 1e20', ['--N', '1e20'], /--N must be an integer below 2\^53/],
  ])('%s', (_, n, message) => refused(['solve', ...seedGrid, ...n, '--out', tmp.file('never')], message));

  it('--nvx 1e8', () =>
    refused(
      [
        'solve',
        ...seedGrid.filter((a) => a !== '8' && a !== '--nvx'),
        '--N',
        '400',
        '--nvx',
        '1e8',
        '--out',
        tmp.file('never'),
      ],
      tooLarge,
    ));

  it('--every 1 --t-end 500 (outputs of 6 GiB)', () =>
    refused(
      [
        ...words('solve --preset seed --N 400 --nvx 8 --cfl 0.8 --t-end 500 --every 1 --out'),
        tmp.file('never'),
      ],
      /250000 records: outputs 5\.96 GiB.*over the memory budget/,
    ));

  it('a dense 20000 × 20000 Jacobian', () =>
    refused(
      [
        ...words(
          'jacobian --preset seed --N 20000 --nvx 8 --cfl 0.8 --t-end 0.001 --every 1 --output E --record final --wrt sigma --case 0 --out',
        ),
        tmp.file('never'),
      ],
      /1 case\(s\) × 20000 cells .*outputs 2\.98 GiB/,
    ));

  it('--max-memory lowers (and raises) the budget; a bad size is named', () => {
    refused(
      ['solve', ...tiny, '--max-memory', '1K', '--out', tmp.file('never')],
      /over the memory budget of 1\.00 KiB/,
    );
    refused(
      ['solve', ...tiny, '--max-memory', 'lots', '--out', tmp.file('never')],
      /--max-memory must be a size such as 512M/,
    );
    refused(
      ['solve', ...tiny, '--max-work', '10', '--out', tmp.file('never')],
      /this run is too long: .*--max-work COUNT\)\n$/,
    );
  });

  it.each([
    ['/dev/zero', () => '/dev/zero'],
    [
      'a FIFO',
      () => {
        const fifo = tmp.file('fifo.npy');
        execFileSync('mkfifo', [fifo]);
        return fifo;
      },
    ],
  ])('--tini %s is refused before a byte is read', (_, path) =>
    refused(
      ['solve', ...grid, '--tini', path(), '--sigma', inputs.sigma, '--out', tmp.file('never')],
      /--tini .*: is not a regular file \(a device, FIFO or socket\)/,
    ),
  );

  it('an 800 MB .npy of the wrong shape is refused from its header', () => {
    const wrong = sparseNpy('wrong-800mb.npy', [100_000_000], 800_000_000);
    refused(
      ['solve', ...grid, '--tini', wrong, '--sigma', inputs.sigma, '--out', tmp.file('never')],
      /--tini .*wrong-800mb\.npy: shape \[100000000\] does not fit the grid/,
      10,
    );
  });

  it('a .npy whose header fits but whose cases would not fit the budget', () => {
    const many = sparseNpy('many-cases.npy', [4_000_000, 32], 4_000_000 * 32 * 8);
    refused(
      ['solve', ...grid, '--tini', many, '--sigma', many, '--out', tmp.file('never')],
      /4000000 case\(s\) × 32 cells.*over the memory budget/,
      10,
    );
  });

  it('a .npy whose data is longer than its header says is refused before the data is read', () => {
    const long = sparseNpy('long.npy', [4, 32], 700_000_000);
    refused(
      ['solve', ...grid, '--tini', long, '--sigma', inputs.sigma, '--out', tmp.file('never')],
      /the header declares shape \[4,32\] of float64 \(1024 bytes of data\), but the file holds 700000000 bytes/,
      10,
    );
  });
});

describe('physical validation (issue 16)', () => {
  it.each([
    [
      'sigma = -5',
      { sigma: -5, Tini: 1 },
      /sigma is -5 at \[0, 0\] of --sigma .*; the opacity sigma must be finite and ≥ 0/,
    ],
    [
      'Tini = -1',
      { sigma: 1, Tini: -1 },
      /Tini is -1 at \[0, 0\] of --tini .*; the initial temperature Tini must be finite and ≥ 0/,
    ],
    [
      'Tini = sigma = 1e308 (overflows)',
      { sigma: 1e308, Tini: 1e308 },
      /overflow: E became non-finite in the initial state \(step 0, t = 0\), cell 0 \(x = 0\.0156\) and 31 more of case 0; no record is finite\. Inputs there: Tini = 1e\+308, sigma = 1e\+308; T⁴ overflows float64/,
    ],
  ])('%s', (name, v, message) => {
    const t = tmp.write(`${name}-t.npy`, filled(v.Tini));
    const s = tmp.write(`${name}-s.npy`, filled(v.sigma));
    const out = tmp.file('never');
    refused(['solve', ...grid, '--tini', t, '--sigma', s, '--out', out], message);
    expect(existsSync(out)).toBe(false);
  });

  // sigma = 1e308 on the reference cases: finite at first, the relaxation term overflows a few steps in
  it.each(['eager', 'wasm'])(
    'an overflow during the run names its step and cell (--backend %s)',
    (backend) => {
      const s = tmp.write('huge-sigma.npy', filled(1e308));
      const out = tmp.file('never');
      const line =
        /overflow: E and T became non-finite at step 2 \(t = 0\.0500\), cell 0 \(x = 0\.0156\) and 26 more of case 0; last finite record 0\. Inputs there: Tini = [\d.]+, sigma = 1e\+308/;
      refused(
        ['solve', ...grid, '--backend', backend, '--tini', inputs.tini, '--sigma', s, '--out', out],
        line,
      );
      expect(existsSync(out)).toBe(false);
    },
  );
});

describe('overflow in the derivative commands (issue 16)', () => {
  it.each([
    ['grad', ['--objective', 'sum-final-E', '--wrt', 'sigma']],
    ['jvp', ['--wrt', 'sigma', '--direction', inputs.sigma]],
    ['jacobian', ['--output', 'E', '--record', 'final', '--wrt', 'sigma', '--case', '0']],
  ])('%s names the step and cell where the solve overflowed', (command, flags) => {
    const s = tmp.write('huge-sigma.npy', filled(1e308));
    const out = tmp.file('never');
    refused(
      [command, ...grid, ...flags, '--tini', inputs.tini, '--sigma', s, '--out', out],
      /overflow: E and T became non-finite at step 2 \(t = 0\.0500\), cell 0 \(x = 0\.0156\) and 26 more of case 0/,
    );
    expect(existsSync(out)).toBe(false);
  });
});

describe('nothing left behind', () => {
  it('no temporary folder or .partial file in the scratch folder', () => {
    expect(
      readdirSync(tmp.dir).filter((n) => n.startsWith('.') || n.includes('partial') || n === 'never'),
    ).toEqual([]);
  });
});
