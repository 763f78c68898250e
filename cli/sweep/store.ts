/**
 * The sweep's result store: a Zarr (format 2) group holding E[case, record, x], T[case, record, x], one
 * gradient array per requested gradient [case, x], params[case, param], and the coordinates x and t; its
 * attributes hold the spec, its fingerprint, the version and the backend. Chunks along the case axis are the
 * shards, so concurrent tasks never write the same file. The record axis is named t (xarray's dimension
 * names), so xarray aligns it with the coordinate t. A shard is finished when its marker
 * (`.sweep/done/<shard>.json`) exists; the marker is written only after every chunk of the shard has been
 * renamed into place, so a shard killed mid-write has no marker and is redone.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { cellCentres, rteGrid } from '../../core/rte/index';
import pkg from '../../package.json' with { type: 'json' };
import { UsageError } from '../errors';
import { cooOf, sweepSparsePlan } from './jacobian';
import { parseSweep, type Sweep } from './spec';
import { arrayNamesOf } from './spec-schema';
import {
  createArray,
  createGroup,
  readAttrs,
  removePartials,
  writeChunk,
  writeFileAtomic,
  type ZarrArraySpec,
} from './zarr-v2';

export const STORE_FORMAT = 1;
const DONE = join('.sweep', 'done');

export interface StoreAttrs {
  format: number;
  spec: Sweep['json'];
  spec_sha256: string;
  version: string;
  backend: string;
  dtype: string;
  cases: number;
  shard_size: number;
  shards: number;
  params: string[];
}

/** Array name → layout: chunk k along the case axis is shard k. */
export function arraysOf(sweep: Sweep): Record<string, ZarrArraySpec> {
  const C = sweep.cases.count;
  const S = sweep.shardSize;
  const { N } = sweep.grid;
  const dtype = sweep.json.dtype;
  const arrays: Record<string, ZarrArraySpec> = {
    params: {
      shape: [C, sweep.cases.names.length],
      chunks: [S, sweep.cases.names.length],
      dtype: 'float64',
      dims: ['case', 'param'],
    },
  };
  for (const item of sweep.json.compute)
    for (const name of arrayNamesOf(item, sweep.R))
      arrays[name] = name.startsWith('grad_')
        ? { shape: [C, N], chunks: [S, N], dtype, dims: ['case', 'x'] }
        : { shape: [C, sweep.R, N], chunks: [S, sweep.R, N], dtype, dims: ['case', 't', 'x'] };
  for (const j of sweep.jacobians) {
    const of = `d${j.output}[record ${j.recordIndex}]/d${j.wrt}: rows are output cells, columns input cells`;
    if (j.layout === 'dense') {
      arrays[j.stem] = {
        shape: [C, N, N],
        chunks: [S, N, N],
        dtype,
        dims: ['case', 'x_out', 'x_in'],
        attrs: { jacobian: of, layout: 'dense' },
      };
      continue;
    }
    const nnz = sweepSparsePlan(sweep, j).pattern.nnz;
    arrays[`${j.stem}_vals`] = {
      shape: [C, nnz],
      chunks: [S, nnz],
      dtype,
      dims: ['case', `${j.stem}_nnz`],
      attrs: {
        jacobian: of,
        layout: 'coo',
        matrix_shape: [N, N],
        rows: `${j.stem}_rows`,
        cols: `${j.stem}_cols`,
      },
    };
  }
  return arrays;
}

/** A sparse Jacobian's shared pattern: row and column of each stored value, 0-based, ordered by row. */
function patternArrays(sweep: Sweep): Record<string, { spec: ZarrArraySpec; data: Int32Array }> {
  const out: Record<string, { spec: ZarrArraySpec; data: Int32Array }> = {};
  for (const j of sweep.jacobians) {
    if (j.layout !== 'sparse') continue;
    const coo = cooOf(sweepSparsePlan(sweep, j));
    const nnz = coo.rows.length;
    const spec = (axis: string): ZarrArraySpec => ({
      shape: [nnz],
      chunks: [Math.max(1, nnz)],
      dtype: 'int32',
      dims: [`${j.stem}_nnz`],
      attrs: { [`${axis}_of`]: `${j.stem}_vals` },
    });
    out[`${j.stem}_rows`] = { spec: spec('row'), data: coo.rows };
    out[`${j.stem}_cols`] = { spec: spec('column'), data: coo.cols };
  }
  return out;
}

function attrsOf(sweep: Sweep): StoreAttrs {
  return {
    format: STORE_FORMAT,
    spec: sweep.json,
    spec_sha256: sweep.sha256,
    version: pkg.version,
    backend: sweep.json.backend,
    dtype: sweep.json.dtype,
    cases: sweep.cases.count,
    shard_size: sweep.shardSize,
    shards: sweep.shards,
    params: sweep.cases.names,
  };
}

function sweepAttrs(dir: string): StoreAttrs | null {
  if (!existsSync(join(dir, '.zattrs'))) return null;
  try {
    const attrs = readAttrs(dir).rte_sweep as StoreAttrs | undefined;
    return attrs && typeof attrs.spec_sha256 === 'string' ? attrs : null;
  } catch {
    return null;
  }
}

/**
 * Open the store at `dir` for `sweep`, creating it (whole, by renaming a finished temporary directory) when it
 * does not exist. A store made by another spec, or a directory that is not a sweep store, is refused untouched.
 */
export function openStore(dir: string, sweep: Sweep, what = '--out'): { created: boolean } {
  const attrs = sweepAttrs(dir);
  if (attrs) {
    if (attrs.spec_sha256 !== sweep.sha256)
      throw new UsageError(
        `${what} ${dir}: holds a sweep of a different spec (fingerprint ${attrs.spec_sha256.slice(0, 12)}…, this spec ${sweep.sha256.slice(0, 12)}…); it is left as it is: give another --out`,
      );
    return { created: false };
  }
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0))
    throw new UsageError(
      `${what} ${dir}: exists and is not a sweep store (${statSync(dir).isDirectory() ? 'a non-empty directory' : 'a file'}); it is left as it is: give another --out`,
    );
  const temp = `${dir.replace(/\/+$/, '')}.${process.pid}.partial`;
  try {
    mkdirSync(dirname(temp), { recursive: true });
    buildStore(temp, sweep);
    renameSync(temp, dir);
  } catch (e) {
    try {
      rmSync(temp, { recursive: true, force: true });
    } catch {
      // nothing was created (its parent is not a directory)
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw new UsageError(`${what} ${dir}: cannot create the store (${code})`);
    throw e;
  }
  return { created: true };
}

function buildStore(dir: string, sweep: Sweep): void {
  createGroup(dir, { rte_sweep: attrsOf(sweep) });
  for (const [name, spec] of Object.entries(arraysOf(sweep))) createArray(dir, name, spec);
  const { N } = sweep.grid;
  const g = rteGrid(sweep.grid);
  const coord = (name: string, values: Float64Array) => {
    const spec: ZarrArraySpec = {
      shape: [values.length],
      chunks: [values.length],
      dtype: 'float64',
      dims: [name],
    };
    createArray(dir, name, spec);
    writeChunk(dir, name, [0], spec, values);
  };
  for (const [name, { spec, data }] of Object.entries(patternArrays(sweep))) {
    createArray(dir, name, spec);
    writeChunk(dir, name, [0], spec, data);
  }
  coord('x', cellCentres(N));
  coord(
    't',
    Float64Array.from({ length: sweep.R }, (_, r) => (1 + r * sweep.grid.every) * g.dt),
  );
  mkdirSync(join(dir, DONE), { recursive: true });
}

/** The sweep a store was made for (for Slurm tasks and status), checked against its own fingerprint. */
export function sweepOfStore(dir: string): Sweep {
  const attrs = sweepAttrs(dir);
  if (!attrs)
    throw new UsageError(
      `${dir}: not a sweep store (no rte_sweep attributes); create it with 'rte sweep run' or 'rte sweep submit'`,
    );
  const sweep = parseSweep(JSON.stringify(attrs.spec), `${dir} (its spec)`, '/');
  if (sweep.sha256 !== attrs.spec_sha256)
    throw new UsageError(
      `${dir}: its spec's inputs changed since the store was made (a .npy file was modified)`,
    );
  return sweep;
}

export function doneShards(dir: string): Set<number> {
  const done = new Set<number>();
  const path = join(dir, DONE);
  if (!existsSync(path)) return done;
  for (const name of readdirSync(path)) {
    const m = /^(\d+)\.json$/.exec(name);
    if (m) done.add(Number(m[1]));
  }
  return done;
}

/** Cases [lo, hi) of shard k. */
export const shardCases = (sweep: Sweep, k: number): [number, number] => [
  k * sweep.shardSize,
  Math.min(sweep.cases.count, (k + 1) * sweep.shardSize),
];

/** Write shard k's chunks, then its marker. `outputs` hold the shard's cases only, in array order. */
export function writeShard(
  dir: string,
  sweep: Sweep,
  k: number,
  outputs: Record<string, Float64Array | Float32Array>,
  info: { backend: string; seconds: number },
): void {
  const arrays = arraysOf(sweep);
  for (const [name, spec] of Object.entries(arrays)) {
    removePartials(join(dir, name), `${k}.`);
    const data = outputs[name];
    if (!data) throw new Error(`shard ${k}: no output for ${name}`);
    writeChunk(dir, name, [k, ...spec.chunks.slice(1).map(() => 0)], spec, data);
  }
  const [lo, hi] = shardCases(sweep, k);
  const marker = {
    shard: k,
    cases: [lo, hi],
    host: hostname(),
    pid: process.pid,
    ...info,
    at: new Date().toISOString(),
  };
  writeFileAtomic(join(dir, DONE, `${k}.json`), Buffer.from(`${JSON.stringify(marker)}\n`));
}
