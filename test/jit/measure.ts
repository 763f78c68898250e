/**
 * Timings of the compiled paths against the eager float64 path and PyTorch, in one process on one machine:
 *
 *   npx tsx test/jit/measure.ts [--B 4,256] [--reps 3] [--webgpu] [--no-torch] [--no-eager-large] [--no-grad]
 *                               [--no-records]
 *
 * solveBatch (the seed problem, N = 400, 500 steps, 50 records) at each B on: eager float64, jit webasm
 * (fused-sync, and fused-threaded when gpu.js has threads), jit cpu (gpu.js's JavaScript backend), and with
 * --webgpu jit webgpu through Dawn (a software GPU, llvmpipe, on a machine without one); the
 * gradient of sum(E_final) w.r.t. sigma (case 0); and the two ways of reading records back. Prints one
 * JSON line per measurement and a table. The first call of a compiled program includes its compilation
 * (staging, fusion, gpu.js's kernel and WebAssembly compilation); later calls are the steady state.
 */
import '../../core/index';
import { positiveInt, positiveInts, scriptArgs } from '../../bench/args';
import { executorLabel, webasmPaths } from '../../bench/jit';
import { median } from '../../bench/stats';
import { runTorch, torchUnavailable } from '../../bench/torch';
import { cast, grad, tensor } from '../../core/index';
import { availableModes, GpuJsDevice, type PhasePlan } from '../../core/jit/gpujs';
import { type JitOptions, jit } from '../../core/jit/index';
import { installNodeWebGpu } from '../../core/jit/node-webgpu';
import { solveBatch, sumFinalE } from '../../core/rte/index';
import type { Tensor } from '../../core/tensor/tensor';
import { loadReference, relErr } from '../helpers/reference';

const USAGE =
  'usage: npx tsx test/jit/measure.ts [--B 4,256] [--reps 3] [--webgpu] [--no-torch] [--no-eager-large] [--no-grad] [--no-records]';
const args = scriptArgs(
  {
    B: { type: 'string', default: '4,256' },
    reps: { type: 'string', default: '3' },
    webgpu: { type: 'boolean', default: false },
    'no-torch': { type: 'boolean', default: false },
    'no-eager-large': { type: 'boolean', default: false },
    'no-grad': { type: 'boolean', default: false },
    'no-records': { type: 'boolean', default: false },
  },
  USAGE,
);
const Bs = positiveInts('B', args.B, USAGE);
const reps = positiveInt('reps', args.reps, USAGE);
const spec = { N: 400, Nvx: 8, CFL: 0.8, tEnd: 1, every: 10 };

const rows: {
  what: string;
  B: number;
  path: string;
  firstMs: number | null;
  medianMs: number;
  note: string;
}[] = [];
function record(what: string, B: number, path: string, firstMs: number | null, times: number[], note = '') {
  const row = { what, B, path, firstMs, medianMs: median(times), note };
  rows.push(row);
  console.log(JSON.stringify({ ...row, timesMs: times.map((t) => +t.toFixed(1)) }));
}

/** The seed's four cases repeated to B cases. */
function inputs(B: number, dtype: 'float32' | 'float64'): [Tensor, Tensor] {
  const tile = (name: string) => {
    const d = loadReference(name).data;
    const out = new Float64Array(B * 400);
    for (let b = 0; b < B; b++) out.set(d.subarray((b % 4) * 400, (b % 4) * 400 + 400), b * 400);
    return cast(tensor(out, { shape: [B, 400] }), dtype);
  };
  return [tile('seed_Tini_f64'), tile('seed_sigma_f64')];
}

async function time(fn: () => Promise<unknown> | unknown, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

const solveEandT = (t: Tensor, s: Tensor) => {
  const r = solveBatch(spec, t, s);
  return [r.E, r.T];
};

async function measureSolve(B: number) {
  const [t32, s32] = inputs(B, 'float32');
  const [t64, s64] = inputs(B, 'float64');
  let ref: Tensor | null = null;
  if (B <= 16 || !args['no-eager-large']) {
    const n = B <= 16 ? reps : 1;
    let out: Tensor[] = [];
    const times = await time(() => {
      out = solveEandT(t64, s64);
    }, n);
    ref = out[0]!;
    record('solve', B, 'eager float64', null, times);
  }
  const paths: [string, JitOptions][] = await webasmPaths();
  paths.push(['jit cpu (gpu.js JavaScript)', { backend: 'cpu', strict: true }]);
  if (webgpuAdapter)
    paths.push([`jit webgpu (${webgpuAdapter.split(' ')[0]})`, { backend: 'webgpu', strict: true }]);
  for (const [path, o] of paths) {
    const g = jit(solveEandT, o);
    let E: Tensor | null = null;
    const first = await time(async () => {
      E = (await g(t32, s32))[0];
    }, 1);
    const n = (path.includes('cpu') || path.includes('webgpu')) && B > 16 ? 1 : reps;
    const times = await time(() => g(t32, s32), n);
    const run = g.lastRun!;
    const err = ref ? relErr(E!, ref) : Number.NaN;
    record(
      'solve',
      B,
      path,
      first[0]!,
      times,
      `${executorLabel(run)}; ${run.launches} launches, ${run.kernels} kernels; rel err vs eager f64 ${err.toExponential(1)}`,
    );
  }
}

async function measureGrad() {
  const t = loadReference('seed_Tini_f64').get(0);
  const s = loadReference('seed_sigma_f64').get(0);
  const want = loadReference('grad_sumEfinal_dsigma_f64');
  const gf = (a: Tensor, b: Tensor) => grad(sumFinalE(spec), { argnums: 1 })(a, b);
  record('grad', 1, 'eager float64', null, await time(() => gf(t, s), reps));
  const t32 = cast(t, 'float32');
  const s32 = cast(s, 'float32');
  const paths: [string, JitOptions][] = await webasmPaths();
  for (const [path, o] of paths) {
    const g = jit(gf, o);
    let r: Tensor | null = null;
    const first = await time(async () => {
      r = await g(t32, s32);
    }, 1);
    const times = await time(() => g(t32, s32), reps);
    const run = g.lastRun!;
    record(
      'grad',
      1,
      path,
      first[0]!,
      times,
      `${run.launches} launches, ${run.kernels} kernels; rel err vs PyTorch f64 ${relErr(r!, want).toExponential(1)}`,
    );
  }
}

/**
 * Reading records back: (a) each record is its own result, stacked on the host into one flat array (what jit
 * does); (b) a kernel copies the [R, n] record buffer with one row replaced at every record (no host work,
 * but R² n copies). A state of n values advances `every` steps per record.
 */
async function measureRecords(n: number, R = 50, every = 10) {
  const dev = await GpuJsDevice.create('webasm', false);
  const w = n % 4 === 0 ? n : n + 4 - (n % 4);
  const step = {
    key: `step${n}`,
    source: 'function (a) { return a[this.thread.x] * 0.999 + 0.001; }',
    dims: [n],
    loopMax: 0,
  };
  const rec = { key: `rec${n}`, source: 'function (a) { return a[this.thread.x]; }', dims: [n], loopMax: 0 };
  const acc = {
    key: `acc${n}:${R}`,
    source:
      'function (prev, y, k) { return this.thread.y === k ? y[this.thread.x] : prev[this.thread.y][this.thread.x]; }',
    dims: [w, R],
    loopMax: 0,
  };
  const init = { key: `zero${n}:${R}`, source: 'function () { return 0.0; }', dims: [w, R], loopMax: 0 };
  // (a)
  const la: PhasePlan['launches'][number][] = [];
  const results: number[] = [];
  let cur: { k: 'arg'; i: number } | { k: 'step'; i: number } = { k: 'arg', i: 0 };
  for (let r = 0; r < R; r++) {
    for (let s = 0; s < every; s++) {
      la.push({ kernel: step, args: [cur] });
      cur = { k: 'step', i: la.length - 1 };
    }
    la.push({ kernel: rec, args: [cur] });
    results.push(la.length - 1);
  }
  const pa = dev.pipeline({ argDims: [[n]], launches: la, results });
  const x0 = new Float32Array(n).fill(1);
  const runA = async () => {
    const parts = await pa.run([x0]);
    const out = new Float32Array(R * n);
    parts.forEach((p, i) => {
      out.set(p, i * n);
    });
    return out;
  };
  // (b)
  const lb: PhasePlan['launches'][number][] = [{ kernel: init, args: [] }];
  let buf = 0;
  cur = { k: 'arg', i: 0 };
  for (let r = 0; r < R; r++) {
    for (let s = 0; s < every; s++) {
      lb.push({ kernel: step, args: [cur] });
      cur = { k: 'step', i: lb.length - 1 };
    }
    lb.push({ kernel: acc, args: [{ k: 'step', i: buf }, cur, { k: 'int', v: r }] });
    buf = lb.length - 1;
  }
  const pb = dev.pipeline({ argDims: [[n]], launches: lb, results: [buf] });
  const runB = async () => (await pb.run([x0]))[0]!;
  const a = await runA();
  const b = await runB();
  const bFlat = new Float32Array(R * n);
  for (let r = 0; r < R; r++) bFlat.set(b.subarray(r * w, r * w + n), r * n);
  if (relErr(a, bFlat) > 1e-6) throw new Error('records: the two readbacks disagree');
  record(
    'records',
    n / 400,
    '(a) per-record results, stacked on the host',
    null,
    await time(runA, reps),
    `n=${n}`,
  );
  record(
    'records',
    n / 400,
    '(b) one [R, n] buffer rewritten per record',
    null,
    await time(runB, reps),
    `n=${n}`,
  );
}

let webgpuAdapter: string | null = null;
if (args.webgpu) {
  const w = await installNodeWebGpu();
  if (!w.installed) throw new Error(`--webgpu: ${w.reason}`);
  webgpuAdapter = w.adapter;
}
const modes = await availableModes();
console.log(JSON.stringify({ node: process.version, gpujs: modes, webgpuAdapter }));
const torchWhy = args['no-torch'] ? 'skipped (--no-torch)' : await torchUnavailable();
for (const B of Bs) {
  if (!torchWhy) {
    const t = await runTorch({ what: 'solve', B, dtype: 'float32', reps });
    record(
      'solve',
      B,
      `PyTorch ${t.torch} float32 (${t.threads} thread)`,
      null,
      t.times_s.map((s) => s * 1000),
    );
  }
  await measureSolve(B);
}
if (!args['no-grad']) {
  if (!torchWhy) {
    const t = await runTorch({ what: 'grad', B: 1, dtype: 'float32', reps });
    record(
      'grad',
      1,
      `PyTorch ${t.torch} float32`,
      null,
      t.times_s.map((s) => s * 1000),
    );
  }
  await measureGrad();
}
if (!args['no-records']) for (const B of Bs) await measureRecords(B * 400);
if (torchWhy) console.log(`PyTorch: ${torchWhy}`);

console.log(
  '\n| what | B | path | first call (ms) | steady (ms, median) | notes |\n|---|---|---|---|---|---|',
);
for (const r of rows)
  console.log(
    `| ${r.what} | ${r.B} | ${r.path} | ${r.firstMs === null ? '' : r.firstMs.toFixed(0)} | ${r.medianMs.toFixed(1)} | ${r.note} |`,
  );
process.exit(0);
