/**
 * The limit columns: parsing the JSON line the hand-written solvers print, the commands they are run with, what
 * happens without a compiler or the folder (null and one reason), the build-once runner (driven by a stand-in
 * compiler), the table's new columns and the flag. One test builds and runs the real limit where it can.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBenchArgs, selectRows } from '../../bench/args';
import { benchCases } from '../../bench/cases';
import { ccArgs, createLimit, gradArgs, limitDir, parseLimitLine, solveArgs } from '../../bench/limit';
import { timeRow } from '../../bench/table';
import { encodeNpyArray } from '../../core/index';
import { loadReference, referenceDir } from '../../scripts/reference-data';

// Recorded from `solve bench|grad` and `wasm/run.mjs` on the development machine.
const C_SOLVE =
  '{"impl": "c", "what": "solve", "variant": "sh", "B": 4, "dtype": "f32", "threads": 1, "median_s": 0.000837298, "min_s": 0.000732251, "ns_per_dir_cell_update": 0.1308, "checksum_E": 545222.968, "times_s": [0.00139086, 0.00168209, 0.000837298, 0.000752535, 0.000732251]}';
const C_GRAD =
  '{"impl": "c", "what": "grad", "dtype": "f64", "threads": 1, "median_s": 0.00292685, "min_s": 0.00272133, "K": 16, "store_MB": 1.50, "times_s": [0.00282259, 0.00292685, 0.00293971, 0.00272133, 0.00310317]}';
const WASM =
  '{"impl":"c-wasm-simd128","what":"solve","B":4,"dtype":"float32","threads":1,"node":"v20.20.2","median_s":0.0047205050000000024,"min_s":0.004704486999999972,"ns_per_dir_cell_update":0.7375789062500004,"relerr_E_vs_ref":5.882027699644844e-7,"relerr_T_vs_ref":2.2704114530451665e-7,"times_s":[0.008205396000000007,0.004704486999999972,0.0047205050000000024,0.0047132489999999905,0.005073153999999989]}';

const scratch = mkdtempSync(join(tmpdir(), 'rte-limit-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const folder = () => {
  const d = join(scratch, String(n++));
  mkdirSync(d, { recursive: true });
  return d;
};

describe('parseLimitLine', () => {
  it('reads median_s and the labels from the C solve, the C adjoint and the WebAssembly lines', () => {
    expect(parseLimitLine(`${C_SOLVE}\n`, 'c')).toEqual({
      impl: 'c',
      what: 'solve',
      dtype: 'f32',
      threads: 1,
      median_s: 0.000837298,
      min_s: 0.000732251,
      times_s: [0.00139086, 0.00168209, 0.000837298, 0.000752535, 0.000732251],
    });
    expect(parseLimitLine(C_GRAD, 'c')).toMatchObject({ what: 'grad', dtype: 'f64', median_s: 0.00292685 });
    const w = parseLimitLine(WASM, 'wasm');
    expect(w).toMatchObject({ impl: 'c-wasm-simd128', dtype: 'float32', min_s: 0.004704486999999972 });
    expect(w.median_s).toBe(0.0047205050000000024);
    expect(w.times_s).toHaveLength(5);
  });

  it('takes the last non-empty line, after any chatter', () => {
    expect(parseLimitLine(`grid: N=400\nwarming up\n${C_GRAD}\n\n  \n`, 'c').median_s).toBe(0.00292685);
  });

  it('refuses output that is not a timing, naming the source', () => {
    expect(() => parseLimitLine('', 'limit C solve')).toThrow(
      /limit C solve printed no JSON line: \(nothing\)/,
    );
    expect(() => parseLimitLine('VERIFY: all OK', 'x')).toThrow(/no JSON line: VERIFY/);
    expect(() => parseLimitLine('{"what": "freq", "ghz": 3}', 'x')).toThrow(/no positive median_s/);
    expect(() => parseLimitLine('{"median_s": 0}', 'x')).toThrow(/no positive median_s/);
    expect(() => parseLimitLine('{"median_s": "0.1"}', 'x')).toThrow(/no positive median_s/);
    expect(() => parseLimitLine('[1, 2]', 'x')).toThrow(/no positive median_s/);
  });
});

describe('limit commands', () => {
  it('compiles as the README says and asks for one thread in the row dtype', () => {
    expect(ccArgs('/L', '/tmp/x/solve')).toEqual([
      '-O3',
      '-march=native',
      '-ffp-contract=off',
      '-fopenmp',
      '-o',
      '/tmp/x/solve',
      '/L/solve.c',
      '-lm',
    ]);
    expect(solveArgs('/R', 256, 'float32', 3)).toEqual([
      'bench',
      '/R',
      '--B',
      '256',
      '--threads',
      '1',
      '--reps',
      '3',
      '--dtype',
      'f32',
    ]);
    expect(gradArgs('/R', 'float64', 5)).toEqual(['grad', '/R', '--dtype', 'f64', '--reps', '5']);
  });

  it('finds the folder next to the repository, or in $RTE_LIMIT_DIR', () => {
    const before = process.env.RTE_LIMIT_DIR;
    try {
      delete process.env.RTE_LIMIT_DIR;
      expect(limitDir()).toMatch(/[\\/]shared[\\/]bench[\\/]limit$/);
      process.env.RTE_LIMIT_DIR = '/somewhere/limit';
      expect(limitDir()).toBe('/somewhere/limit');
    } finally {
      if (before === undefined) delete process.env.RTE_LIMIT_DIR;
      else process.env.RTE_LIMIT_DIR = before;
    }
  });
});

const real = limitDir();
const realWasm = join(real, 'wasm', 'solve.wasm');

/**
 * A limit folder holding a solve.c (never compiled by the stand-in) and, as wasm/solve.wasm, the given bytes or
 * the real limit's module where there is one.
 */
function fakeLimitDir(wasm?: Uint8Array): string {
  const d = folder();
  writeFileSync(join(d, 'solve.c'), 'int main(void) { return 0; }\n');
  mkdirSync(join(d, 'wasm'));
  if (wasm) writeFileSync(join(d, 'wasm', 'solve.wasm'), wasm);
  else if (existsSync(realWasm)) copyFileSync(realWasm, join(d, 'wasm', 'solve.wasm'));
  return d;
}

/**
 * A stand-in `cc`: counts its calls in CALLS, records the -o path in OUT, and writes there a solver that prints
 * chatter then one JSON line whose median_s is B + 0.5 (solve) or 0.25 (grad), with the dtype it was given.
 */
function fakeCc(opts: { fail?: string } = {}): { cc: string; calls: string; out: string } {
  const d = folder();
  const calls = join(d, 'calls');
  const out = join(d, 'out');
  const solver = `#!/bin/sh
what=$1; B=1; dt=none
while [ $# -gt 0 ]; do case $1 in --B) B=$2;; --dtype) dt=$2;; esac; shift; done
echo "grid: N=400"
if [ "$what" = grad ]; then m=0.25; else m=$B.5; fi
echo "{\\"impl\\": \\"c\\", \\"what\\": \\"$what\\", \\"dtype\\": \\"$dt\\", \\"threads\\": 1, \\"median_s\\": $m, \\"times_s\\": [$m]}"
`;
  writeFileSync(join(d, 'solver.sh'), solver);
  const cc = join(d, 'cc');
  writeFileSync(
    cc,
    opts.fail
      ? `#!/bin/sh\necho x >> '${calls}'\necho '${opts.fail}' >&2\nexit 1\n`
      : `#!/bin/sh
echo x >> '${calls}'
while [ $# -gt 0 ]; do if [ "$1" = -o ]; then o=$2; fi; shift; done
echo "$o" > '${out}'
cp '${join(d, 'solver.sh')}' "$o" && chmod +x "$o"
`,
  );
  chmodSync(cc, 0o755);
  return { cc, calls, out };
}

const count = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').length : 0);

describe('createLimit', () => {
  it('gives null and one reason when the compiler is missing, and still runs the WebAssembly build', async () => {
    const lines: string[] = [];
    const dir = fakeLimitDir();
    const limit = createLimit({
      dir,
      cc: join(scratch, 'no-such-cc'),
      log: (l) => lines.push(l),
    });
    expect(await limit.limitSolve(4, 'float32', 1)).toBeNull();
    expect(await limit.limitGrad('float64', 1)).toBeNull();
    const reasons = lines.filter((l) => /unavailable/.test(l));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/no C compiler \(.*no-such-cc not found/);
    expect(await limit.unavailable()).toMatch(/no C compiler/);
    // the WebAssembly build needs no compiler
    if (existsSync(realWasm)) expect(await limit.wasmLimitSolve(4, 1)).toBeGreaterThan(0);
    limit.dispose();
  });

  it('gives null and a reason naming the folder when the limit is missing', async () => {
    const lines: string[] = [];
    const dir = join(scratch, 'nowhere');
    const { cc, calls } = fakeCc();
    const limit = createLimit({ dir, cc, log: (l) => lines.push(l) });
    expect(await limit.limitSolve(4, 'float64', 1)).toBeNull();
    expect(await limit.wasmLimitSolve(4, 1)).toBeNull();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(join(dir, 'solve.c'));
    expect(lines[0]).toMatch(/RTE_LIMIT_DIR/);
    expect(lines[1]).toContain(join(dir, 'wasm', 'solve.wasm'));
    expect(count(calls)).toBe(0);
  });

  it('reports a failed build in one line', async () => {
    const lines: string[] = [];
    const { cc } = fakeCc({ fail: 'solve.c:1: error: boom' });
    const limit = createLimit({ dir: fakeLimitDir(), cc, log: (l) => lines.push(l) });
    expect(await limit.limitSolve(4, 'float32', 1)).toBeNull();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/failed to build .*solve\.c: solve\.c:1: error: boom$/);
  });

  it('builds once into a temporary folder, passes B and dtype, reads the medians, and cleans up', async () => {
    const lines: string[] = [];
    const { cc, calls, out } = fakeCc();
    const limit = createLimit({ dir: fakeLimitDir(), reference: '/ref', cc, log: (l) => lines.push(l) });
    try {
      expect(await limit.limitSolve(7, 'float64', 3)).toBe(7.5);
      expect(await limit.limitSolve(256, 'float32', 3)).toBe(256.5);
      expect(await limit.limitGrad('float32')).toBe(0.25);
      expect(count(calls)).toBe(1);
      expect(lines.join('\n')).toMatch(/B=7 f64: 7\.500 s \(c, f64, 1 thread\)/);
      expect(lines.join('\n')).toMatch(/grad f32: 0\.2500 s \(c, f32/);
      const exe = readFileSync(out, 'utf8').trim();
      expect(exe.startsWith(tmpdir())).toBe(true);
      expect(existsSync(exe)).toBe(true);
      limit.dispose();
      expect(existsSync(exe)).toBe(false);
    } finally {
      limit.dispose();
    }
  });

  it('gives null and a reason when the WebAssembly module is not one', async () => {
    const lines: string[] = [];
    const dir = fakeLimitDir(new TextEncoder().encode('not a module'));
    const limit = createLimit({ dir, log: (l) => lines.push(l) });
    expect(await limit.wasmLimitSolve(4, 1)).toBeNull();
    expect(lines).toEqual([expect.stringMatching(/wasm solve B=4 f32 failed: .*/)]);
  });

  it.skipIf(!existsSync(realWasm))('does not time a module whose result is not the reference', async () => {
    // the reference folder with its E moved by 1e-3 of its largest value
    const reference = folder();
    for (const f of readdirSync(referenceDir()).filter((n) => n.endsWith('.npy')))
      copyFileSync(join(referenceDir(), f), join(reference, f));
    const E = loadReference('seed_E_f32');
    const largest = Math.max(...E.data);
    const moved = Float32Array.from(E.data, (v, i) => (i === 7 ? v + 1e-3 * largest : v));
    writeFileSync(join(reference, 'seed_E_f32.npy'), encodeNpyArray(moved, E.shape));
    const lines: string[] = [];
    const limit = createLimit({ dir: fakeLimitDir(), reference, log: (l) => lines.push(l) });
    expect(await limit.wasmLimitSolve(4, 1)).toBeNull();
    expect(lines).toEqual([
      expect.stringMatching(/not timed, E is .* from the reference \(tolerance 1e-4\)/),
    ]);
  });

  const canBuild = (() => {
    try {
      execFileSync('cc', ['--version'], { stdio: 'ignore' });
      return existsSync(join(real, 'solve.c'));
    } catch {
      return false;
    }
  })();
  it.skipIf(!canBuild)(
    'builds and runs the real limit here (C and WebAssembly, B = 4)',
    async () => {
      const lines: string[] = [];
      const limit = createLimit({ log: (l) => lines.push(l) });
      try {
        const c = await limit.limitSolve(4, 'float32', 1);
        const g = await limit.limitGrad('float64', 1);
        const w = await limit.wasmLimitSolve(4, 1);
        expect(lines.filter((l) => /unavailable|failed/.test(l))).toEqual([]);
        for (const t of [c, g, w]) {
          expect(t).toBeGreaterThan(0);
          expect(t).toBeLessThan(10);
        }
      } finally {
        limit.dispose();
      }
    },
    120_000,
  );
});

describe('limit columns', () => {
  const base = {
    name: 'solve_B4',
    oursS: 0.5,
    torchS: 1,
    torchF32S: null,
    backend: 'cpu-float64',
    dtype: 'float64',
    reps: 5,
  };

  it('puts ours / limit beside each limit, from the unrounded times, after the other columns', () => {
    const r = timeRow({ ...base, limitS: 0.00123456, wasmLimitS: 0.004 });
    expect(r).toMatchObject({
      limit_s: 0.001235,
      vs_limit: sig3(0.5 / 0.00123456),
      wasm_limit_s: 0.004,
      vs_wasm_limit: 125,
    });
    expect(Object.keys(r).slice(-4)).toEqual(['limit_s', 'vs_limit', 'wasm_limit_s', 'vs_wasm_limit']);
  });

  it('has no limit columns for rows without one, and only the C one for grad rows', () => {
    expect(Object.keys(timeRow(base)).some((k) => k.includes('limit'))).toBe(false);
    const g = timeRow({ ...base, name: 'grad', limitS: 0.25 });
    expect(g).toMatchObject({ limit_s: 0.25, vs_limit: 2 });
    expect(g).not.toHaveProperty('wasm_limit_s');
  });

  it('keeps the ratios null when a side is missing', () => {
    const r = timeRow({ ...base, limitS: null, wasmLimitS: null });
    expect([r.limit_s, r.vs_limit, r.wasm_limit_s, r.vs_wasm_limit]).toEqual([null, null, null, null]);
    expect(timeRow({ ...base, oursS: null, limitS: 1 }).vs_limit).toBeNull();
  });
});

const sig3 = (x: number) => Number(x.toPrecision(3));

describe('--no-limit and the rows with a limit', () => {
  it('is on by default and switched off by --no-limit, which takes no value', () => {
    expect(parseBenchArgs([]).limit).toBe(true);
    expect(parseBenchArgs(['--no-limit']).limit).toBe(false);
    expect(() => parseBenchArgs(['--no-limit=1'])).toThrow(/takes no value/);
    expect(() => parseBenchArgs(['--nolimit'])).toThrow(/unknown argument/);
  });

  it('are the seed solves (B = 4, 256, 1024) and the grad of Σ E_final, eager and compiled', () => {
    const cases = benchCases();
    const withLimit = cases.filter((c) => c.limit);
    expect(withLimit.map((c) => [c.name, c.limit])).toEqual([
      ['solve_B4', { what: 'solve', B: 4 }],
      ['solve_B4_webasm', { what: 'solve', B: 4 }],
      ['solve_B4_wasm', { what: 'solve', B: 4 }],
      ['solve_B4_wasm_f64', { what: 'solve', B: 4 }],
      ['solve_B256', { what: 'solve', B: 256 }],
      ['solve_B256_webasm', { what: 'solve', B: 256 }],
      ['solve_B256_wasm', { what: 'solve', B: 256 }],
      ['solve_B256_wasm_threads', { what: 'solve', B: 256 }],
      ['grad', { what: 'grad', B: 1 }],
      ['grad_webasm', { what: 'grad', B: 1 }],
      ['grad_wasm', { what: 'grad', B: 1 }],
      ['grad_wasm_f32', { what: 'grad', B: 1 }],
      ['solve_B1024_wasm', { what: 'solve', B: 1024 }],
      ['solve_B1024_wasm_threads', { what: 'solve', B: 1024 }],
    ]);
    // the same batch as the peer's
    for (const c of withLimit) expect(c.limit!.B).toBe(c.torch!.B);
    expect(
      selectRows(cases, parseBenchArgs(['--quick']))
        .filter((c) => /^(solve|grad)/.test(c.name))
        .every((c) => c.limit),
    ).toBe(true);
  });
});
