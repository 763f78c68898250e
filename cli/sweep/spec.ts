/**
 * Reading a sweep spec: parse and validate the JSON (errors name the file and the field), compile the formulas
 * against the space's parameters, expand the space, and fix the shard size. Everything a run, a Slurm task or
 * a status check needs comes from here, so they agree on what case k and shard s are.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  cellCentres,
  checkRteBudget,
  compileFormula,
  estimateRteWork,
  type Formula,
  FormulaError,
  RTE_BUDGET,
  RteBudgetError,
  type RteSpec,
  RteSpecError,
  resolveRecord,
  rteGrid,
  sampleFormula,
} from '../../core/rte/index';
import { UsageError } from '../errors';
import { readNpyFile } from '../npy-files';
import { type Cases, expandSpace, SpaceError } from './space';
import {
  arrayNamesOf,
  type Field,
  type JacobianItem,
  jacobianStem,
  SWEEP_SPEC,
  type SweepSpecJson,
} from './spec-schema';

/** A bad spec: one line naming the file and the field. */
export class SweepSpecError extends UsageError {
  override name = 'SweepSpecError';
}

/**
 * Work of one shard at most, in cell × ordinate × step updates: ~9 s of one core here (2.25 ns per update in
 * float64, see the README), so a Slurm task's start-up (~1 s) stays small beside its work.
 */
export const SHARD_WORK = 4e9;
/** At least this many shards when the cases allow: work for 4 workers × 2, so the last shards balance. */
export const MIN_SHARDS = 8;
/** Largest chunk of E or T written at once. */
export const MAX_CHUNK_BYTES = 64 * 2 ** 20;

/** A Jacobian the spec asks for, its record resolved. */
export interface SweepJacobian extends JacobianItem {
  /** Record index 0..R-1 ('final' resolved). */
  recordIndex: number;
  /** Its arrays' name stem: jac_E_r4_sigma. */
  stem: string;
  /** Its index in `compute` (for error messages). */
  at: number;
}

export interface Sweep {
  /** The spec as validated (defaults filled in, .npy paths absolute): what the store records. */
  json: SweepSpecJson;
  /** Fingerprint of the spec and its .npy inputs: a store made by another spec is refused. */
  sha256: string;
  grid: RteSpec;
  /** Records per case. */
  R: number;
  cases: Cases;
  shardSize: number;
  shards: number;
  /** The Jacobians in `compute`, in order. */
  jacobians: SweepJacobian[];
  /** Tini and sigma of case c on the cell centres, checked (finite, ≥ 0), and each jvp item's direction. */
  inputs(c: number): { Tini: Float64Array; sigma: Float64Array; directions: Float64Array[] };
}

const where = (path: readonly PropertyKey[]) => (path.length ? path.map(String).join('.') : '(top level)');

/** Parse spec text (JSON); `name` is how errors refer to it and `baseDir` resolves .npy paths. */
export function parseSweep(text: string, name: string, baseDir: string): Sweep {
  const fail = (field: string, message: string): never => {
    throw new SweepSpecError(`${name}: ${field}: ${message}`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SweepSpecError(`${name}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = SWEEP_SPEC.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // a bad record key (a parameter name) carries the key's own rule inside
    const inner = issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined;
    fail(where(issue.path), inner ?? issue.message);
  }
  const json = structuredClone(parsed.data!);
  const grid: RteSpec = {
    N: json.grid.N,
    Nvx: json.grid.Nvx,
    CFL: json.grid.CFL,
    tEnd: json.grid.t_end,
    every: json.grid.every,
  };
  let R = 0;
  let Nt = 0;
  try {
    ({ R, Nt } = rteGrid(grid));
  } catch (e) {
    if (e instanceof RteSpecError) fail('grid', e.message);
    throw e;
  }
  let cases: Cases = { names: [], values: new Float64Array(), count: 0 };
  try {
    cases = expandSpace(json.space);
  } catch (e) {
    if (e instanceof SpaceError) fail(e.path, e.message);
    throw e;
  }
  const hash = createHash('sha256');
  const samplers = (['Tini', 'sigma'] as const).map((key) => {
    const f: Field = json[key];
    if (typeof f !== 'string') {
      const path = resolve(baseDir, f.npy);
      json[key] = { npy: path };
      return npyField(key, path, grid.N, name, hash);
    }
    let formula: Formula;
    try {
      formula = compileFormula(f, ['x', ...cases.names]);
    } catch (e) {
      throw e instanceof FormulaError ? new SweepSpecError(`${name}: ${key}: ${e.message}`) : e;
    }
    return (scope: Record<string, number>, x: Float64Array) => sampleFormula(formula, x, scope);
  });
  const jacobians = json.compute.flatMap((item, i): SweepJacobian[] => {
    if (item === 'solve' || !('jacobian' in item)) return [];
    let recordIndex = 0;
    try {
      recordIndex = resolveRecord(grid, item.jacobian.record);
    } catch (e) {
      if (e instanceof RteSpecError) fail(`compute.${i}.jacobian.record`, e.message);
      throw e;
    }
    return [{ ...item.jacobian, recordIndex, stem: jacobianStem(item.jacobian, R), at: i }];
  });
  const names = json.compute.flatMap((item) => arrayNamesOf(item, R));
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) fail('compute', `two items write the array ${twice}: each output may be asked for once`);
  const directions = json.compute.flatMap((item, i) => {
    if (item === 'solve' || !('jvp' in item)) return [];
    try {
      const f = compileFormula(item.jvp.direction, ['x', ...cases.names]);
      return [{ at: `compute.${i}.jvp.direction`, f }];
    } catch (e) {
      throw e instanceof FormulaError
        ? new SweepSpecError(`${name}: compute.${i}.jvp.direction: ${e.message}`)
        : e;
    }
  });
  const x = cellCentres(grid.N);
  const bytes = json.dtype === 'float64' ? 8 : 4;
  // a Jacobian carries one tangent per input cell (N + 1 lanes) and stores N × N values per case
  const lanes = jacobians.length ? grid.N + 1 : 1;
  const work = grid.N * grid.Nvx * Nt * lanes;
  const caseValues = Math.max(R * grid.N, jacobians.length ? grid.N * grid.N : 0);
  const byBytes = Math.max(1, Math.floor(MAX_CHUNK_BYTES / (caseValues * bytes)));
  const shardSize =
    json.shard_size ??
    Math.max(
      1,
      Math.min(
        byBytes,
        Math.floor(SHARD_WORK / work),
        Math.ceil(cases.count / MIN_SHARDS),
        ...jacobians.map((j) => casesInBudget(grid, j, json.dtype)),
      ),
    );
  jacobians.forEach((j) => {
    checkJacobianBudget(grid, j, json.dtype, shardSize, (m) => fail(`compute.${j.at}.jacobian`, m));
  });
  // the layout is part of the fingerprint: a store is never resumed with other shard boundaries
  json.shard_size = shardSize;
  hash.update(JSON.stringify(json));
  const inputs = (c: number) => {
    const scope: Record<string, number> = {};
    cases.names.forEach((n, p) => {
      scope[n] = cases.values[c * cases.names.length + p]!;
    });
    const [Tini, sigma] = samplers.map((sample, i) => {
      const key = i === 0 ? 'Tini' : 'sigma';
      let v: Float64Array;
      try {
        v = sample(scope, x);
      } catch (e) {
        if (e instanceof FormulaError) fail(key, `case ${c} (${describe(scope)}): ${e.message}`);
        throw e;
      }
      const bad = v.findIndex((value) => value < 0);
      if (bad >= 0)
        fail(
          key,
          `case ${c} (${describe(scope)}): ${v[bad]!.toPrecision(4)} at x = ${x[bad]!.toPrecision(4)}; ${key} must be ≥ 0`,
        );
      return v;
    }) as [Float64Array, Float64Array];
    const tangents = directions.map(({ at, f }) => {
      try {
        return sampleFormula(f, x, scope);
      } catch (e) {
        if (e instanceof FormulaError) fail(at, `case ${c} (${describe(scope)}): ${e.message}`);
        throw e;
      }
    });
    return { Tini, sigma, directions: tangents };
  };
  return {
    json,
    sha256: hash.digest('hex'),
    grid,
    R,
    cases,
    shardSize,
    shards: Math.ceil(cases.count / shardSize),
    jacobians,
    inputs,
  };
}

const jacobianJob = (j: SweepJacobian, dtype: SweepSpecJson['dtype'], batch: number) => ({
  kind: 'jacobian' as const,
  batch,
  dtype,
  records: j.recordIndex + 1,
});

/** How many cases of this Jacobian fit the memory budget in one shard (working memory grows with the cases). */
function casesInBudget(grid: RteSpec, j: SweepJacobian, dtype: SweepSpecJson['dtype']): number {
  const one = estimateRteWork(grid, jacobianJob(j, dtype, 1)).workingBytes;
  return Math.max(1, Math.floor(RTE_BUDGET.maxBytes / one));
}

/** Refuse, before anything is written, a shard whose Jacobians cannot fit the budget: one line with the sizes. */
function checkJacobianBudget(
  grid: RteSpec,
  j: SweepJacobian,
  dtype: SweepSpecJson['dtype'],
  shardSize: number,
  fail: (message: string) => never,
): void {
  try {
    checkRteBudget(estimateRteWork(grid, jacobianJob(j, dtype, shardSize)), RTE_BUDGET, {
      memory: 'a smaller "shard_size" (cases per shard)',
      work: 'a smaller "shard_size" (cases per shard)',
    });
  } catch (e) {
    if (e instanceof RteBudgetError)
      fail(`the Jacobian of ${j.stem} per shard of ${shardSize} case(s): ${e.message}`);
    throw e;
  }
}

const describe = (scope: Record<string, number>) =>
  Object.entries(scope)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ') || 'no parameters';

function npyField(key: string, path: string, N: number, name: string, hash: ReturnType<typeof createHash>) {
  // an input of the wrong shape is refused from its header, before the data is read
  const t = readNpyFile(key, path, {
    maxBytes: RTE_BUDGET.maxBytes,
    checkHeader: (h) => {
      if (h.shape.length !== 1 || h.shape[0] !== N)
        throw new SweepSpecError(
          `${name}: ${key}: ${path} holds [${h.shape.join(', ')}]; a sweep input must be float [${N}] (N of the grid)`,
        );
    },
  });
  if ((t.dtype !== 'float64' && t.dtype !== 'float32') || t.ndim !== 1 || t.shape[0] !== N)
    throw new SweepSpecError(
      `${name}: ${key}: ${path} holds ${t.dtype} [${t.shape.join(', ')}]; a sweep input must be float [${N}] (N of the grid)`,
    );
  hash.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  const v = Float64Array.from(t.data);
  const bad = v.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0)
    throw new SweepSpecError(`${name}: ${key}: ${path} holds ${v[bad]} at [${bad}]; values must be finite`);
  return () => v;
}

/** Read and parse a spec file given on the command line. */
export function loadSweep(path: string): Sweep {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SweepSpecError(`${path}: cannot read the spec (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  return parseSweep(text, path, dirname(resolve(path)));
}

/** Check every case's inputs up front when that is cheap (it is a second of formula evaluation at most). */
export function checkAllInputs(sweep: Sweep, budget = 2e7): void {
  const { count } = sweep.cases;
  if (count * sweep.grid.N * 2 <= budget) for (let c = 0; c < count; c++) sweep.inputs(c);
  else for (const c of [0, count - 1]) sweep.inputs(c);
}
