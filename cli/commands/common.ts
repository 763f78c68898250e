/** What every command shares: the grid and input flags, and turning them into a checked problem. */
import { join } from 'node:path';
import type { Tensor } from '../../core/index';
import { encodeNpy } from '../../core/index';
import {
  checkRteJob,
  checkRteRun,
  findOverflow,
  RTE_BUDGET,
  type RteBudget,
  type RteGrid,
  type RteJobKind,
  RteOverflowError,
  type RteSpec,
  RteSpecError,
  rteGrid,
  SEED_SPEC,
} from '../../core/rte/index';
import { BACKEND_CHOICES, BACKEND_HELP, type Plan, planBackend, runCompiled } from '../backend';
import { BUDGET_FLAGS, RAISE } from '../budget-flags';
import { timed, timedAsync } from '../command';
import { UsageError } from '../errors';
import { type FlagValues, filePath, finiteNumber, flag, integer, oneOf, toggle } from '../flags';
import { caseCount, type FloatDType, loadCases } from '../inputs';
import { userPath } from '../npy-files';
import { type OutputFile, writeOutputSet } from '../output-set';
import { checkOutputFolder } from '../output-targets';

/** The grid flags, each required unless --preset seed gives the seed's value. */
const GRID_FLAGS = {
  N: flag('n', `number of cells (≥ 3; seed ${SEED_SPEC.N})`, integer.optional()),
  nvx: flag('v', `number of discrete ordinates (even; seed ${SEED_SPEC.Nvx})`, integer.optional()),
  cfl: flag('c', `dt/dx (≤ 1 unless --allow-unstable; seed ${SEED_SPEC.CFL})`, finiteNumber.optional()),
  't-end': flag('t', `final time (> 0; seed ${SEED_SPEC.tEnd})`, finiteNumber.optional()),
  every: flag('k', `record E and T every k steps (≥ 1; seed ${SEED_SPEC.every})`, integer.optional()),
};

export const SOLVE_FLAGS = {
  ...GRID_FLAGS,
  tini: flag('FILE.npy', 'initial temperature, [B,N] or [N] (float64/float32)', filePath.optional()),
  sigma: flag('FILE.npy', 'opacity, same shape as --tini', filePath.optional()),
  preset: flag(
    'seed',
    "instead of --tini/--sigma: the seed's four cases, on the seed's grid where a grid flag is not given",
    oneOf(['seed']).optional(),
  ),
  out: flag('DIR', 'output directory (created when the outputs are written)', filePath),
  dtype: flag(
    'float64|float32',
    'precision of the computation and the outputs (the compiled backends need float32)',
    oneOf(['float64', 'float32']).default('float64'),
  ),
  'allow-unstable': toggle('allow CFL > 1'),
  backend: flag(BACKEND_CHOICES.join('|'), BACKEND_HELP, oneOf(BACKEND_CHOICES).default('auto')),
  ...BUDGET_FLAGS,
};

export interface Problem {
  spec: RteSpec;
  grid: RteGrid;
  allowUnstable: boolean;
  dtype: FloatDType;
  /** Eager in `dtype`, or compiled through jit (float32). */
  plan: Plan;
  out: string;
  Tini: Tensor;
  sigma: Tensor;
  /** Number of cases. */
  B: number;
  budget: RteBudget;
}

/** What a command computes and writes, for the up-front checks. */
export interface JobOf {
  kind: RteJobKind;
  /** The files it writes into --out. */
  files: readonly string[];
  /** Records it computes, when fewer than the grid's (a Jacobian of an early record). */
  records?: (grid: RteGrid) => number;
}

/**
 * Check everything cheap before any work: the grid, the backend, the output folder, the inputs' headers and
 * the budget they imply; then read and check the inputs.
 */
export function prepare(v: FlagValues<typeof SOLVE_FLAGS>, job: JobOf): Problem {
  const spec = specOf(v, job.kind);
  const allowUnstable = v['allow-unstable'];
  const grid = rteGrid(spec, { allowUnstable });
  const plan = planBackend(v.backend, v.dtype);
  checkOutputFolder(v.out, job.files);
  const budget: RteBudget = {
    maxBytes: v['max-memory'] ?? RTE_BUDGET.maxBytes,
    maxCellUpdates: v['max-work'] ?? RTE_BUDGET.maxCellUpdates,
  };
  const batch = job.kind === 'jacobian' ? 1 : caseCount(v, spec.N);
  const records = job.records?.(grid);
  checkRteJob(
    spec,
    { kind: job.kind, batch, dtype: v.dtype, ...(records === undefined ? {} : { records }) },
    { allowUnstable, budget, raise: RAISE },
  );
  const { Tini, sigma } = loadCases(v, spec.N, v.dtype, budget.maxBytes);
  return {
    spec,
    grid,
    allowUnstable,
    dtype: v.dtype,
    plan,
    out: v.out,
    Tini,
    sigma,
    B: Tini.shape[0]!,
    budget,
  };
}

/** The grid from its flags; with --preset seed, the seed's value for each one not given. */
function specOf(v: FlagValues<typeof SOLVE_FLAGS>, command: string): RteSpec {
  const seed = v.preset === 'seed';
  const value = <K extends keyof typeof GRID_FLAGS>(name: K, seedValue: number): number => {
    const given = v[name];
    if (given !== undefined) return given;
    if (seed) return seedValue;
    throw new UsageError(
      `${command}: missing flag --${name} (${GRID_FLAGS[name].help}; or --preset seed for the seed's grid and cases)`,
    );
  };
  return {
    N: value('N', SEED_SPEC.N),
    Nvx: value('nvx', SEED_SPEC.Nvx),
    CFL: value('cfl', SEED_SPEC.CFL),
    tEnd: value('t-end', SEED_SPEC.tEnd),
    every: value('every', SEED_SPEC.every),
  };
}

export interface Ran<R> {
  result: R;
  /** The backend that actually ran (from jit's lastRun on the compiled paths). */
  backend: string;
  /** Wall time, compilation included on the compiled paths. */
  seconds: number;
  /** Compiled paths: time of the compiled run alone (no staging or kernel compilation). */
  runSeconds?: number;
  /** Compiled paths: how many pieces the batch was split into to fit the device's buffers. */
  chunks?: number;
}

/** Compute `f(...args)` as the problem's plan says: eagerly, or the whole of `f` jitted to a compiled backend. */
export async function runPlanned<A extends unknown[], R>(
  plan: Plan,
  f: (...args: A) => R,
  args: A,
): Promise<Ran<R>> {
  if (plan.kind === 'eager') {
    const [result, seconds] = timed(() => f(...args));
    return { result, backend: 'eager', seconds };
  }
  const [{ result, ran, run }, seconds] = await timedAsync(() => runCompiled(plan, f, args));
  if (!run) return { result, backend: ran, seconds };
  return {
    result,
    backend: run.backend,
    seconds,
    runSeconds: Math.round(run.runMs) / 1000,
    chunks: run.chunks,
  };
}

/** The JSON fields that say what ran. */
export const ranFields = (r: Ran<unknown>) => ({
  backend: r.backend,
  seconds: r.seconds,
  ...(r.runSeconds === undefined ? {} : { run_seconds: r.runSeconds }),
  ...(r.chunks === undefined ? {} : { chunks: r.chunks }),
});

/**
 * Refuse results that are not finite (the run overflowed): an eager replay of the case names the step and cell
 * where the solve's state stopped being finite; a result whose solve stayed finite names the index of its
 * first bad value. `caseIndex`: the case a result of one case (a Jacobian) belongs to; [B, …] results say.
 */
export function checkFiniteResults(
  p: Problem,
  results: Record<string, Tensor>,
  opts: { caseIndex?: number } = {},
): void {
  for (const [name, t] of Object.entries(results)) {
    const c = t.concrete(name);
    const inputs = { Tini: p.Tini.to(t.dtype), sigma: p.sigma.to(t.dtype) };
    const dtype = t.dtype === 'float32' ? 'float32' : 'float64';
    const allowUnstable = p.allowUnstable;
    if (c.ndim === 3) {
      checkRteRun(p.spec, inputs, { [name]: c.data }, { dtype, allowUnstable });
      continue;
    }
    const bad = c.data.findIndex((x) => !Number.isFinite(x));
    if (bad < 0) continue;
    const at = c.shape.map(
      (_, k) => Math.floor(bad / c.shape.slice(k + 1).reduce((a, b) => a * b, 1)) % c.shape[k]!,
    );
    const caseIndex = opts.caseIndex ?? at[0]!;
    const one = { Tini: inputs.Tini.get(caseIndex), sigma: inputs.sigma.get(caseIndex) };
    const site = findOverflow(p.spec, one, { dtype, caseIndex, allowUnstable });
    if (site) throw new RteOverflowError(site);
    throw new RteSpecError(
      `the result ${name} holds ${c.data[bad]} at [${at.join(', ')}]: the computation overflowed ${p.dtype}; lower Tini or sigma (or the time step)`,
    );
  }
}

/** Encode `files` (name → tensor) into --out, plus `extra` files, and write them as one unit. */
export async function writeResults(
  p: Problem,
  files: Record<string, Tensor>,
  extra: readonly OutputFile[] = [],
): Promise<string[]> {
  const dir = userPath(p.out);
  const encoded = Object.entries(files).map(([name, t]) => ({
    path: join(dir, name),
    bytes: encodeNpy(t),
    what: `--out ${p.out}`,
  }));
  return await writeOutputSet([...encoded, ...extra]);
}
