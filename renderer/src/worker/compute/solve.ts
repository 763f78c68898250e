/** Validation and batched solves: the live path of the workbench. */

import type { Tensor } from '../../../../core/index';
import { vmap } from '../../../../core/index';
import { browserThreadsUnavailable } from '../../../../core/jit/browser-threads';
import {
  availableModes,
  type BackendPlan,
  computeDtype,
  JitBackendError,
  type Jitted,
  jit,
  planBackend,
  ranLabel,
  wasmAvailable,
  wasmThreads,
} from '../../../../core/jit/index';
import {
  checkRteField,
  checkRteRun,
  RteSpecError,
  rteGrid,
  solve,
  solveBatchChecked,
} from '../../../../core/rte/index';
import { checkLiveSolve, LIVE_BUDGET } from '../../model/budget';
import type {
  GridInfo,
  GridSpec,
  ProgressCallback,
  SolveRequest,
  SolveResult,
  SolverBackend,
  ValidateResult,
  WorkerInfo,
} from '../api';
import { EVAL_BLOCKED_NOTE, evalAllowed } from './csp';
import { f64, now, rows } from './tensors';

export const BACKEND = ranLabel('eager');

export function validate(spec: GridSpec): ValidateResult {
  try {
    const g = rteGrid(spec);
    return { ok: true, grid: { dx: g.dx, dt: g.dt, Nt: g.Nt, R: g.R } };
  } catch (e) {
    if (e instanceof RteSpecError) return { ok: false, message: e.message };
    throw e;
  }
}

export function gridInfo(spec: GridSpec): GridInfo {
  const g = rteGrid(spec);
  return { dx: g.dx, dt: g.dt, Nt: g.Nt, R: g.R };
}

/** Check every case has N finite samples before handing them to core, so the error names the case. */
export function checkCases(spec: GridSpec, cases: { Tini: Float64Array; sigma: Float64Array }[]): void {
  if (cases.length === 0) throw new RteSpecError('there are no cases to solve: add one');
  cases.forEach((c, b) => {
    for (const [name, v] of [
      ['Tini', c.Tini],
      ['sigma', c.sigma],
    ] as const) {
      if (v.length !== spec.N)
        throw new RteSpecError(`case ${b + 1}: ${name} has ${v.length} samples, the grid has N = ${spec.N}`);
      const bad = v.findIndex((x) => !Number.isFinite(x));
      if (bad >= 0) throw new RteSpecError(`case ${b + 1}: ${name} is not finite at cell ${bad}`);
      checkRteField(name, v, spec.N, (_, cell) => `case ${b + 1}, cell ${cell}`);
    }
  });
}

/** How many threads core's wasm target splits a batch over here, and why only one where that is so. */
function threadsNote(): string {
  const n = wasmThreads();
  const why = browserThreadsUnavailable();
  return n > 1 ? `${n} threads for batches` : `one thread${why ? ` (${why})` : ''}`;
}

export async function workerInfo(): Promise<WorkerInfo> {
  const m = await availableModes();
  const software = (yes: boolean, soft: boolean) => (yes && soft ? { note: 'software renderer' } : {});
  const cpu = evalAllowed()
    ? { name: 'gpu.js CPU', available: m.cpu }
    : { name: 'gpu.js CPU', available: false, note: EVAL_BLOCKED_NOTE };
  return {
    dtypes: ['float64', 'float32'],
    compiled: [
      { name: 'WebGPU', available: m.webgpu, ...software(m.webgpu, m.webgpuSoftware) },
      { name: 'WebGL2', available: m.webgl2, ...software(m.webgl2, m.webgl2Software) },
      {
        name: 'WebAssembly',
        available: wasmAvailable(),
        note: `core, float64 and float32, ${threadsNote()}`,
      },
      { name: 'WebAssembly gpu.js', available: m.webasm, ...(m.threads ? { note: 'threads' } : {}) },
      cpu,
    ],
    blocked: cpu.available ? [] : [{ backend: 'cpu', reason: cpu.note ?? 'not available in this browser' }],
  };
}

type SolveAll = (Tini: Tensor, sigma: Tensor) => [Tensor, Tensor];

/** One jitted solver per grid and plan (jit caches its compiled program per batch size inside). */
const compiled = new Map<string, Jitted<SolveAll>>();
const COMPILED_KEEP = 4;

type CompiledPlan = Extract<BackendPlan, { kind: 'compiled' }>;

function compiledSolver(spec: GridSpec, plan: CompiledPlan, notes: string[]) {
  const key = `${plan.backend}|${plan.orEager}|${spec.N}|${spec.Nvx}|${spec.CFL}|${spec.tEnd}|${spec.every}`;
  let g = compiled.get(key);
  if (!g) {
    const solveAll: SolveAll = vmap((t: Tensor, s: Tensor) => {
      const r = solve(spec, t, s);
      return [r.E, r.T];
    });
    g = jit(solveAll, { backend: plan.backend, strict: plan.orEager, onFallback: (m) => notes.push(m) });
    compiled.set(key, g);
    // the oldest grid's programs go: a session explores a few grids at a time
    if (compiled.size > COMPILED_KEEP) compiled.delete(compiled.keys().next().value!);
  }
  return g;
}

/** Cases as the workbench numbers them. */
const caseName = (b: number) => `case ${b + 1}`;

interface Solved {
  E: Tensor;
  T: Tensor;
  ran: string;
  notes: string[];
}

/** Run the plan: compiled through jit, or core's eager reference (also where an `orEager` plan cannot compile). */
async function runPlan(spec: GridSpec, plan: BackendPlan, Tini: Tensor, sigma: Tensor): Promise<Solved> {
  // eagerly, record by record: an overflow stops the run where it shows, named at its step and cell
  const eager = (notes: string[]): Solved => ({
    ...solveBatchChecked(spec, Tini, sigma, { caseName }),
    ran: BACKEND,
    notes,
  });
  if (plan.kind === 'eager') return eager([]);
  const notes: string[] = [];
  const g = compiledSolver(spec, plan, notes);
  try {
    const [E, T] = await g(Tini, sigma);
    const run = g.lastRun!;
    return { E, T, ran: ranLabel(run.backend), notes: [...run.fallbacks] };
  } catch (e) {
    if (!(plan.orEager && e instanceof JitBackendError)) throw e;
    // the eager path holds more in memory than a compiled program: sized before it runs
    checkLiveSolve(spec, Tini.shape[0] ?? 1, { eager: true });
    return eager([`${e.message}; the result comes from the eager reference`]);
  }
}

/** Solve every case by core's backend policy (gpu.js backends in float32). */
export async function solveCases(req: SolveRequest, onProgress?: ProgressCallback): Promise<SolveResult> {
  const { spec, cases } = req;
  const asked = req.backend ?? 'eager';
  // not even tried where the CSP forbids it: gpu.js would log an EvalError and fall back anyway
  const blocked = asked === 'cpu' && !evalAllowed();
  const backend: SolverBackend = blocked ? 'auto' : asked;
  const plan = planBackend(backend, req.dtype);
  const grid = gridInfo(spec);
  // sized by core before any array is allocated: what would stall the worker or exhaust its memory is refused
  checkLiveSolve(spec, cases.length, { eager: plan.kind === 'eager' });
  checkCases(spec, cases);
  onProgress?.({ fraction: null, message: `solving ${cases.length} case(s), ${grid.Nt} steps` });
  const t0 = now();
  const inputDtype = computeDtype(backend, req.dtype);
  const Tini = rows(
    cases.map((c) => c.Tini),
    spec.N,
    inputDtype,
  );
  const sigma = rows(
    cases.map((c) => c.sigma),
    spec.N,
    inputDtype,
  );
  const { E, T, ran, notes: runNotes } = await runPlan(spec, plan, Tini, sigma);
  const notes = [...(blocked ? [`${EVAL_BLOCKED_NOTE}: ran auto instead`] : []), ...runNotes];
  const dtype = E.dtype as typeof inputDtype;
  const out = { E: f64(E), T: f64(T) };
  // the compiled loop runs whole: checked after, an overflow replayed eagerly to its step and cell
  checkRteRun(spec, { Tini: Tini.to(E.dtype), sigma: sigma.to(E.dtype) }, out, {
    dtype: E.dtype === 'float32' ? 'float32' : 'float64',
    caseName,
    maxReplayUpdates: LIVE_BUDGET.eagerCellUpdates,
  });
  const ms = now() - t0;
  onProgress?.({ fraction: 1, message: 'done' });
  return { spec, B: cases.length, R: grid.R, N: spec.N, ...out, grid, ms, backend: ran, dtype, notes };
}
