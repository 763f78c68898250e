/**
 * jit(f): stage `f` once per input signature (tree structure, shapes, dtypes) into a jaxpr with every op
 * staged (`makeJaxpr(..., dynamic = true)`), lower it to fused gpu.js kernels and pipelines, and run the
 * compiled program on concrete inputs.
 *
 * Contract:
 * - Called with concrete tensors, `jit(f)(...)` returns a Promise (gpu.js pipelines are asynchronous) of
 *   f's output tree. Compiled backends compute in float32 — gpu.js has no float64 — so floating-point outputs
 *   come back as float32 tensors whatever f's dtype; int32 and bool outputs keep their dtype. `backend:
 *   'eager'` evaluates the staged jaxpr on core's CPU backend instead (float64 when f computes in float64):
 *   the reference path, and the last resort of the fallback chain.
 * - Called with tracers (inside vmap, grad, jvp, ...), when f closes over tracers, or while any transform or
 *   staging is in progress (a scan body, an enclosing jit), it evaluates the staged jaxpr with `evalJaxpr`
 *   and returns synchronously, so the outer transform sees the primitives: jit
 *   composes with every transform; the compiled path is used where the values are concrete. `jit(vmap(f))`,
 *   `jit(jvp(...))` and `jit(grad(f))` stage the transformed function and compile it whole.
 * - Backends: 'auto' tries webgpu (where navigator.gpu has a hardware adapter: browsers, or Node after
 *   node-webgpu.ts), webgl2 (browsers, on a hardware renderer), webasm (WebAssembly SIMD, threads when
 *   available), gpu.js's cpu backend, then eager; a software rasteriser (llvmpipe, SwiftShader) is slower
 *   than webasm on the same CPU and is left to explicit requests. A forced backend that cannot compile or
 *   run the program falls back along the same chain, with a message (onFallback, default console.warn);
 *   `strict: true` throws instead. A lost GPU device falls back for that call and is rebuilt on the next.
 *   After every run, gpu.js's own report (executor kind and backend) is checked, so a silent degradation
 *   inside gpu.js is an error under `strict` and a reported fallback otherwise. `lastRun` says what ran.
 */

import { type BasisRows, basisSplit } from '../api/jacobian';
import { type BatchSplit, batchSplit, vmap } from '../api/vmap';
import { Tracer, underTransform } from '../interpreter/trace';
import { evalJaxpr, type Jaxpr, printJaxpr } from '../ir/jaxpr';
import { makeJaxpr } from '../ir/stage';
import { eye, zeros } from '../ops/creation';
import { cat, reshape, sliceAxis } from '../ops/shape';
import { allocate, type TypedArray } from '../tensor/dtype';
import { sizeOf } from '../tensor/shape';
import { type Aval, ConcreteTensor, type Tensor } from '../tensor/tensor';
import { residualScanCount, withReplayedScans } from '../transforms/scan-vjp';
import { flatten, type TreeDef, unflatten } from '../util/pytree';
import {
  backendPlan,
  checkReports,
  device,
  forgetDevice,
  isHardwareGpu,
  type JitBackend,
  type RanBackend,
} from './backends';
import { crossover, programKey } from './crossover';
import {
  type AvailableModes,
  availableModes,
  type DeviceMode,
  type ExecutorReport,
  isDeviceLost,
} from './gpujs';
import { lowerProgram, type Program } from './lower';
import { CompiledProgram } from './runtime';
import { compileWasm, lowerWasm, type WasmExecutable, wasmAvailable } from './wasm/index';
import { type CaseQueue, casePool, takeCase, wasmThreads } from './wasm/pool';

export type { JitBackend, RanBackend } from './backends';

export interface JitOptions {
  /** Default 'auto' (best available: hardware webgpu, hardware webgl2, webasm, cpu, eager). */
  backend?: JitBackend;
  /**
   * webasm: let gpu.js run the pipeline on its worker pool ('fused-threaded') when it can. wasm: split the
   * cases of a vmapped function over the installed thread pool (node-threads.ts in Node). Default true.
   */
  threads?: boolean;
  /** Throw instead of falling back to another backend. Default false. */
  strict?: boolean;
  /**
   * Largest buffer a kernel may use, in bytes (default: the device's own limit). A program that needs a
   * bigger one runs in chunks of its batch when f was made by vmap; otherwise the backend is skipped.
   */
  maxBufferBytes?: number;
  /**
   * wasm: run a function made by vmap case by case on the compiled program of one case (default true; the
   * results are the same, and one case's state stays in cache for the whole run).
   */
  caseByCase?: boolean;
  /**
   * wasm: the fewest cases per thread worth handing a vmapped batch's cases to other threads (default 4: a
   * seed solve takes about a millisecond, no more than the hand-over). A Jacobian's basis chunks use 1.
   */
  minCasesPerThread?: number;
  /** Called with the reason whenever a backend is skipped. Default console.warn. */
  onFallback?: (message: string) => void;
}

export interface JitRunInfo {
  readonly requested: JitBackend;
  /** The backend that produced the result. */
  readonly backend: RanBackend;
  /** gpu.js's report per pipeline (phase): executor kind and backend; empty for eager. */
  readonly executors: readonly ExecutorReport[];
  /** Why backends earlier in the chain were skipped. */
  readonly fallbacks: readonly string[];
  readonly phases: number;
  /** Kernel launches, over all chunks. */
  readonly launches: number;
  readonly kernels: number;
  /** How many pieces the batch was split into to fit the device's buffers (1: not split). */
  readonly chunks: number;
  /** wasm: threads that ran the cases of a vmapped function (1: this one alone). */
  readonly threads?: number;
  /** Time to lower the program (first call of a signature only, else 0) and to run it, in ms. */
  readonly lowerMs: number;
  readonly runMs: number;
}

/**
 * Basis vectors per compiled run of a Jacobian's rows: enough to share the primal computation, few enough
 * that the tangents of a time loop stay in cache (a divisor of n when one is close, so one program serves).
 * For the seed's 400×400 Jacobians, paired in one process: 16 takes 0.96× the time of 8 for jacrev and 1.00×
 * for jacfwd, 25 the same as 16, 5 1.08× and 1.14× (16 cotangent copies of a step's state, 0.6 MB in float32,
 * still fit the second-level cache, and the primal is computed once per 16 rows instead of 8). A few rows (a
 * hessian in two parameters) are shared out so that each of the `threads` gets a chunk.
 */
function rowChunk(n: number, threads: number): number {
  const most = 16;
  if (n <= most) return Math.ceil(n / Math.max(1, Math.min(n, threads)));
  for (let c = most; c >= most / 2; c--) if (n % c === 0) return c;
  return most;
}

/** A staged program's name for 'auto''s measurements: its printed jaxpr hashed once, not on every call. */
const programKeys = new WeakMap<Staged, string>();
function programKeyOf(staged: Staged): string {
  let key = programKeys.get(staged);
  if (key === undefined) {
    key = programKey(printJaxpr(staged.jaxpr));
    programKeys.set(staged, key);
  }
  return key;
}

/** Fewer cases than this per thread are not worth a worker's hand-over (JitOptions.minCasesPerThread). */
const MIN_CASES_PER_THREAD = 4;

/**
 * A vmapped function case by case on the program of one case: each case's inputs are read in place (rows of
 * arrays batched along axis 0, or the whole of a shared one) and its outputs written into the batch's
 * arrays. Other batch layouts go through the generic slice and join. `squeezed`: the program is that of one
 * case (BatchSplit.perCase, whose layout is always the first kind), else that of a batch of one.
 */
async function runCases(
  exe: WasmExecutable,
  outDef: TreeDef,
  squeezed: boolean,
  split: BatchSplit,
  leaves: Tensor[],
  threads: boolean,
  minCasesPerThread = MIN_CASES_PER_THREAD,
): Promise<{ out: unknown; threads: number }> {
  const B = split.size;
  const outDims = split.outDims(outDef);
  const data = leaves.map((l) => l.concrete('jit').data);
  const regions = exe.program.outputs;
  if (split.inDims.every((d) => d === null || d === 0) && outDims.every((d) => d === 0)) {
    const per = data.map((d, i) => (split.inDims[i] === null ? 0 : d.length / B));
    const outPer = regions.map((r) => sizeOf(r.shape));
    const pool = threads ? casePool() : null;
    const workers = pool ? Math.min(pool.size, Math.floor(B / Math.max(1, minCasesPerThread)) - 1) : 0;
    const shareable = regions.every((r) => r.dtype !== 'bool');
    let outs: { set(a: ArrayLike<number>, offset: number): void }[];
    let used = 1;
    /** Cases [lo, hi) on this thread, into `outs`. */
    const here = (lo: number, hi: number) => {
      for (let b = lo; b < hi; b++)
        exe.runInto(
          data.map((d, i) => (per[i] ? d.subarray(b * per[i]!, (b + 1) * per[i]!) : d)),
          outs,
          outPer.map((n) => n * b),
        );
    };
    if (pool && workers > 0 && shareable) {
      used = workers + 1;
      const shared = regions.map((r, k) => pool.shared(r.dtype as 'float32', outPer[k]! * B));
      const inputs = data.map((d, i) => {
        const s = pool.shared(exe.program.inputs[i]!.dtype as 'float32', d.length);
        s.set(d);
        return { data: s, per: per[i]! };
      });
      // every thread, this one included, takes the next case until none is left
      const queue: CaseQueue = { next: pool.shared('int32', 1) as Int32Array, end: B };
      const jobs = Array.from({ length: workers }, (_, w) =>
        pool.run(w, exe.program, { inputs, outputs: shared }, queue),
      );
      outs = shared;
      for (let b = takeCase(queue); b !== null; b = takeCase(queue)) here(b, b + 1);
      await Promise.all(jobs);
    } else {
      outs = regions.map((r) => allocate(r.dtype, sizeOf(r.shape) * B));
      here(0, B);
    }
    const tensors = regions.map(
      (r, k) => new ConcreteTensor(outs[k] as TypedArray, [B, ...r.shape.slice(squeezed ? 0 : 1)], r.dtype),
    );
    return { out: unflatten(outDef, tensors), threads: used };
  }
  const parts: unknown[] = [];
  for (let b = 0; b < B; b++) {
    const ins = (flatten(split.slice(b, b + 1))[0] as Tensor[]).map((l) => l.concrete('jit'));
    parts.push(unflatten(outDef, exe.run(ins)));
  }
  return { out: split.join(parts), threads: 1 };
}

/**
 * What jit stages for these arguments (the jaxpr, scan bodies included) and the program core's WebAssembly
 * target lowers it to: buffers, kernel calls with their loop nests (how many, how many in SIMD lanes), loops.
 */
export function printProgram<F extends (...args: any[]) => any>(
  f: Jitted<F>,
  ...args: Parameters<F>
): string {
  const staged = f.stage(...args);
  const program = lowerWasm(staged.jaxpr, staged.consts as ConcreteTensor[]);
  return `${printJaxpr(staged.jaxpr)}\n${program.listing}`;
}

export class JitBackendError extends Error {
  override name = 'JitBackendError';
}

export interface Staged {
  readonly jaxpr: Jaxpr;
  readonly consts: readonly Tensor[];
  readonly outDef: TreeDef;
  readonly inAvals: readonly Aval[];
}

interface Entry {
  readonly staged: Staged;
  /** The same function staged for gpu.js (reverse mode of scans replayed: see withReplayedScans). */
  readonly restage: () => Staged;
  program?: Program;
  wasm?: Promise<WasmExecutable>;
  compiled: Map<string, CompiledProgram>;
  failed: Map<string, string>;
}

export type Jitted<F extends (...args: any[]) => any> = ((...args: Parameters<F>) => any) & {
  /** What the last concrete call ran on (null before the first). */
  readonly lastRun: JitRunInfo | null;
  /** Stage (and lower) for these arguments without running: for inspection and tests. */
  lower(...args: Parameters<F>): { staged: Staged; program: Program };
  /** Stage for these arguments without lowering or running. */
  stage(...args: Parameters<F>): Staged;
};

/** One compiled run (or the sum of a split batch's chunk runs) on a device backend. */
interface DeviceResult {
  out: unknown;
  reports: ExecutorReport[];
  phases: number;
  launches: number;
  kernels: number;
  chunks: number;
  lowerMs: number;
  runMs: number;
}
const NO_RUN = { out: undefined, phases: 0, launches: 0, kernels: 0, chunks: 0, lowerMs: 0, runMs: 0 };

const mib = (bytes: number) =>
  bytes < 2 ** 20 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Bytes of the largest array a device holds for this program (stacked records live on the host). */
function largestBuffer(program: Program): number {
  let most = 0;
  for (const v of program.vals) if (v.origin.k !== 'stack') most = Math.max(most, sizeOf(v.shape) * 4);
  return most;
}

/** Static (non-tensor) arguments that are objects or functions key the cache by identity. */
const staticIds = new WeakMap<object, number>();
let nextStaticId = 0;

function defKey(def: TreeDef): string {
  switch (def.kind) {
    case 'leaf':
      return 'L';
    case 'static': {
      const v = def.value;
      if ((typeof v === 'object' && v !== null) || typeof v === 'function') {
        let id = staticIds.get(v);
        if (id === undefined) {
          id = nextStaticId++;
          staticIds.set(v, id);
        }
        return `S#${id}`;
      }
      return `S(${typeof v}:${String(v)})`;
    }
    case 'array':
      return `[${def.children.map(defKey).join(',')}]`;
    case 'object':
      return `{${def.keys.map((k, i) => `${JSON.stringify(k)}:${defKey(def.children[i]!)}`).join(',')}}`;
  }
}

const avalKey = (a: Aval) => `${a.dtype}[${a.shape.join(',')}]`;

const closesOverTracers = (s: Staged) => s.consts.some((c) => c instanceof Tracer);

/** A staged program run by the interpreter (under a transform, its ops are traced by it). */
const evalStaged = (s: Staged, leaves: readonly Tensor[]) =>
  unflatten(s.outDef, evalJaxpr(s.jaxpr, [...s.consts, ...leaves]));

function stage(f: (...args: any[]) => any, def: TreeDef, avals: readonly Aval[]): Staged {
  let outDef: TreeDef | undefined;
  const closed = makeJaxpr(
    (...xs: Tensor[]) => {
      const [outs, od] = flatten(f(...(unflatten(def, xs) as unknown[])));
      outDef = od;
      return outs;
    },
    avals,
    true,
  );
  return { jaxpr: closed.jaxpr, consts: closed.consts, outDef: outDef!, inAvals: avals };
}

export function jit<F extends (...args: any[]) => any>(f: F, opts: JitOptions = {}): Jitted<F> {
  const { backend = 'auto', threads = true, strict = false } = opts;
  const warn = opts.onFallback ?? ((m: string) => console.warn(`jit: ${m}`));
  const cache = new Map<string, Entry>();
  /** The programs of one case of a vmapped `f` (see BatchSplit.perCase), by signature. */
  const caseCache = new Map<string, Entry>();
  let lastRun: JitRunInfo | null = null;

  const entryFor = (
    args: unknown[],
    fn: (...a: any[]) => unknown = f,
    entries = cache,
  ): { entry: Entry; leaves: Tensor[]; cached: boolean } => {
    const [leaves, def] = flatten(args);
    const avals = leaves.map((l) => ({ shape: [...l.shape], dtype: l.dtype }));
    const key = `${defKey(def)}|${avals.map(avalKey).join(';')}`;
    const hit = entries.get(key);
    if (hit) return { entry: hit, leaves, cached: true };
    // Staged on first use: a vmapped function that wasm runs case by case never stages its whole batch.
    let staged: Staged | undefined;
    let differs = false;
    const entry: Entry = {
      get staged() {
        if (!staged) {
          const before = residualScanCount();
          staged = stage(fn, def, avals);
          // only a program with reverse-mode scans stages differently for gpu.js
          differs = residualScanCount() !== before;
          // A jaxpr that closes over tracers belongs to the transform that made them: never reuse it.
          if (closesOverTracers(staged) && entries.get(key) === entry) entries.delete(key);
        }
        return staged;
      },
      restage: () =>
        entry.staged && differs ? withReplayedScans(() => stage(fn, def, avals)) : entry.staged,
      compiled: new Map(),
      failed: new Map(),
    };
    entries.set(key, entry);
    return { entry, leaves, cached: false };
  };

  /**
   * The program wasm runs each case of a vmapped `f` on: the mapped function staged on one case where vmap's
   * layout allows (no batching rules traced, no batch axis of size 1 in the program), else `f` on a batch of one.
   */
  const caseEntry = (split: BatchSplit): { entry: Entry; squeezed: boolean } =>
    split.perCase
      ? { entry: entryFor(split.perCase.args(0), split.perCase.f, caseCache).entry, squeezed: true }
      : { entry: entryFor(split.slice(0, 1)).entry, squeezed: false };

  /** gpu.js unrolls every loop: its program is staged with reverse-mode scans in their replaying form. */
  const programOf = (entry: Entry): Program => {
    if (!entry.program) {
      const replayed = entry.restage();
      entry.program = lowerProgram(replayed.jaxpr, replayed.consts as ConcreteTensor[]);
    }
    return entry.program;
  };

  /** Run on one compiled backend; a vmapped batch whose buffers would not fit is split into chunks. */
  const runOn = async (
    b: DeviceMode,
    entry: Entry,
    leaves: Tensor[],
    args: unknown[],
  ): Promise<DeviceResult> => {
    const t0 = performance.now();
    const fresh = !entry.program;
    const program = programOf(entry);
    const dev = await device(b, b === 'webasm' && threads);
    const limit = Math.min(opts.maxBufferBytes ?? Number.POSITIVE_INFINITY, await dev.maxBufferBytes());
    const need = largestBuffer(program);
    if (need > limit) return runChunked(b, args, need, limit);
    let compiled = entry.compiled.get(b);
    if (!compiled) {
      compiled = new CompiledProgram(program, dev);
      entry.compiled.set(b, compiled);
    }
    const t1 = performance.now();
    const { outputs, reports } = await compiled.run(leaves.map((l) => l.concrete('jit')));
    return {
      out: unflatten(entry.staged.outDef, outputs),
      reports,
      phases: program.phases.length,
      launches: program.launchCount,
      kernels: program.kernels.length,
      chunks: 1,
      lowerMs: fresh ? t1 - t0 : 0,
      runMs: performance.now() - t1,
    };
  };

  const runChunked = async (
    b: DeviceMode,
    args: unknown[],
    need: number,
    limit: number,
  ): Promise<DeviceResult> => {
    const split = batchSplit(f, args);
    const sizes = `a ${mib(need)} buffer, and ${b} allows ${mib(limit)} per buffer`;
    if (!split)
      throw new Error(`this program needs ${sizes} (jit splits the batch only of functions made by vmap)`);
    if (split.size < 2) throw new Error(`a single case of this program needs ${sizes}`);
    // buffers grow with the batch: size the chunks by linear scaling (a chunk still too big splits again)
    const per = Math.max(1, Math.floor((split.size * limit) / need));
    const total: DeviceResult = { ...NO_RUN, reports: [] };
    const parts: unknown[] = [];
    for (let lo = 0; lo < split.size; lo += per) {
      const sub = split.slice(lo, Math.min(split.size, lo + per));
      const { entry, leaves } = entryFor(sub);
      const r = await runOn(b, entry, leaves, sub);
      parts.push(r.out);
      total.reports.push(...r.reports);
      total.phases = Math.max(total.phases, r.phases);
      total.launches += r.launches;
      total.kernels = Math.max(total.kernels, r.kernels);
      total.chunks += r.chunks;
      total.lowerMs += r.lowerMs;
      total.runMs += r.runMs;
    }
    return { ...total, out: split.join(parts) };
  };

  const wasmOf = (entry: Entry): Promise<WasmExecutable> => {
    if (!entry.wasm) {
      entry.wasm = compileWasm(entry.staged.jaxpr, entry.staged.consts as ConcreteTensor[]);
      entry.wasm.catch(() => {
        entry.wasm = undefined;
      });
    }
    return entry.wasm;
  };

  /**
   * A Jacobian made by jacfwd or jacrev, on wasm: its rows computed `rowChunk` basis vectors at a time by one
   * compiled program whose input includes the basis rows, so each chunk's tangents (or cotangents) stay in
   * cache through the time loop. The chunks are the cases of a vmap (zero rows complete the last one), so
   * they run case by case and share the threads as the cases of a batch do.
   */
  const rowsOf = basisSplit(f);
  const chunkJits = new Map<number, Jitted<(...a: unknown[]) => Tensor[]>>();
  /** The row layout of each staged signature (set while its chunk program is staged). */
  const layouts = new Map<string, BasisRows>();
  const signature = (args: unknown[]) => (flatten(args)[0] as Tensor[]).map(avalKey).join(';');
  const runRows = async (of: NonNullable<typeof rowsOf>, args: unknown[]) => {
    let g = chunkJits.get(args.length);
    if (!g) {
      const rows = (...a: unknown[]) => {
        const b = of(a.slice(0, -1));
        layouts.set(signature(a.slice(0, -1)), b);
        return b.rows(a.at(-1) as Tensor);
      };
      // a chunk is a whole time loop for several rows: worth a thread on its own
      g = jit(vmap(rows, { inDims: [...args.map(() => null), 0] }), {
        backend: 'wasm',
        strict: true,
        threads,
        minCasesPerThread: 1,
      });
      chunkJits.set(args.length, g);
    }
    const n = of.size(args);
    const chunk = rowChunk(n, threads ? wasmThreads() : 1);
    const chunks = Math.ceil(n / chunk);
    const rest = chunks * chunk - n;
    const basis = reshape(rest ? cat([eye(n), zeros([rest, n])]) : eye(n), [chunks, chunk, n]);
    const outs = (await g(...args, basis)) as Tensor[];
    const b = layouts.get(signature(args))!;
    const joined = outs.map((o, k) =>
      k < b.rowwise()
        ? sliceAxis(reshape(o, [chunks * chunk, ...o.shape.slice(2)]), 0, 0, n)
        : reshape(sliceAxis(o, 0, 0, 1), o.shape.slice(1)),
    );
    const run = g.lastRun!;
    return {
      out: b.assemble(joined),
      kernels: run.kernels,
      chunks,
      threads: run.threads ?? 1,
      lowerMs: run.lowerMs,
      runMs: run.runMs,
    };
  };

  /**
   * Run on core's WebAssembly target. A function made by vmap runs case by case on the program of one case
   * (cases are independent): one case's state stays in cache through a whole time loop, as a hand-written
   * solver keeps it.
   */
  const runWasm = async (entry: Entry, leaves: Tensor[], args: unknown[]) => {
    if (rowsOf && opts.caseByCase !== false) return runRows(rowsOf, args);
    const t0 = performance.now();
    const split = opts.caseByCase === false ? null : batchSplit(f, args);
    if (split && split.size >= 2) {
      const { entry: one, squeezed } = caseEntry(split);
      const fresh = !one.wasm;
      const exe = await wasmOf(one);
      const t1 = performance.now();
      const { out, threads: used } = await runCases(
        exe,
        one.staged.outDef,
        squeezed,
        split,
        leaves,
        threads,
        opts.minCasesPerThread,
      );
      const kernels = exe.program.kernels;
      return {
        out,
        kernels,
        chunks: split.size,
        threads: used,
        lowerMs: fresh ? t1 - t0 : 0,
        runMs: performance.now() - t1,
      };
    }
    const fresh = !entry.wasm;
    const exe = await wasmOf(entry);
    const t1 = performance.now();
    const outs = exe.run(leaves.map((l) => l.concrete('jit')));
    return {
      out: unflatten(entry.staged.outDef, outs),
      kernels: exe.program.kernels,
      chunks: 1,
      threads: 1,
      lowerMs: fresh ? t1 - t0 : 0,
      runMs: performance.now() - t1,
    };
  };

  /**
   * The program wasm would compile for these arguments: one case's for a vmapped function (its whole batch is
   * never staged), else the function's own.
   */
  const runnable = (entry: Entry, args: unknown[]): Staged => {
    const split = !rowsOf && opts.caseByCase !== false ? batchSplit(f, args) : null;
    return split && split.size >= 2 ? caseEntry(split).entry.staged : entry.staged;
  };

  const runConcrete = async (entry: Entry, leaves: Tensor[], args: unknown[]): Promise<unknown> => {
    // a Jacobian's rows are staged (and checked) by the jit that computes them
    if (!rowsOf && closesOverTracers(runnable(entry, args))) return evalStaged(entry.staged, leaves);
    const inputs = leaves.map((l) => l.concrete('jit'));
    const fallbacks: string[] = [];
    const ran = (b: RanBackend, r: Omit<JitRunInfo, 'requested' | 'backend' | 'fallbacks'>) => {
      const { executors, phases, launches, kernels, chunks, threads, lowerMs, runMs } = r;
      lastRun = {
        requested: backend,
        backend: b,
        fallbacks,
        executors,
        phases,
        launches,
        kernels,
        chunks,
        ...(threads === undefined ? {} : { threads }),
        lowerMs,
        runMs,
      };
    };
    const skip = (b: string, why: string) => {
      const msg = `backend '${b}' was not used: ${why}`;
      fallbacks.push(msg);
      if (strict) throw new JitBackendError(msg);
      warn(msg);
    };
    const ctx = {
      wasm: wasmAvailable(),
      get float64() {
        return runnable(entry, args).jaxpr.outVars.some((v) => v.aval.dtype === 'float64');
      },
    };
    /** Run on backend `b`: its result, or null when it was skipped (the reason recorded). */
    const attempt = async (b: RanBackend, modes: AvailableModes): Promise<{ out: unknown } | null> => {
      if (b === 'eager') {
        const t0 = performance.now();
        const { staged } = entry;
        const outs = evalJaxpr(staged.jaxpr, [...staged.consts, ...inputs]);
        ran('eager', {
          executors: [],
          phases: 0,
          launches: staged.jaxpr.eqns.length,
          kernels: 0,
          chunks: 1,
          lowerMs: 0,
          runMs: performance.now() - t0,
        });
        return { out: unflatten(staged.outDef, outs) };
      }
      const failed = entry.failed.get(b);
      if (failed) {
        skip(b, failed);
        return null;
      }
      if (b === 'wasm') {
        if (!wasmAvailable()) {
          skip(b, 'this JavaScript engine has no WebAssembly SIMD128');
          return null;
        }
        try {
          const r = await runWasm(entry, leaves, args);
          ran('wasm', { ...r, executors: [], phases: 1, launches: r.kernels });
          return { out: r.out };
        } catch (e) {
          if (e instanceof JitBackendError) throw e;
          const why = e instanceof Error ? e.message : String(e);
          entry.failed.set(b, why);
          skip(b, why);
          return null;
        }
      }
      if (!modes[b]) {
        skip(b, `gpu.js reports ${b} unavailable on this platform`);
        return null;
      }
      try {
        const r = await runOn(b, entry, leaves, args);
        const useThreads = b === 'webasm' && threads;
        const problem = checkReports(b, useThreads, r.reports);
        if (problem) {
          if (strict) throw new JitBackendError(problem);
          warn(problem);
          fallbacks.push(problem);
        }
        const as = problem ? ((r.reports.find((x) => x.backend !== b)?.backend as RanBackend) ?? b) : b;
        ran(as, { ...r, executors: r.reports });
        return { out: r.out };
      } catch (e) {
        if (e instanceof JitBackendError) throw e;
        const why = e instanceof Error ? e.message : String(e);
        const stale = entry.compiled.get(b);
        entry.compiled.delete(b);
        stale?.destroy();
        if (isDeviceLost(why)) {
          // Not the program's fault: this call falls back, the next one rebuilds on a fresh device.
          forgetDevice(b);
          skip(b, `the GPU device was lost (${why.split('\n')[0]}); the next call will try a fresh device`);
        } else {
          entry.failed.set(b, why);
          skip(b, why);
        }
      }
      return null;
    };
    /**
     * 'auto' reached a hardware GPU: when wasm can run this program too, the faster of the two for its batch
     * size on this device, measured (both run, the faster result is kept) the first time. Null: try the plan.
     */
    const autoBetween = async (gpu: RanBackend, modes: AvailableModes): Promise<{ out: unknown } | null> => {
      if (!ctx.wasm || entry.failed.has('wasm')) return null;
      const device = `${gpu}:${modes.gpuName ?? 'unknown'}`;
      const program = programKeyOf(runnable(entry, args));
      const batch = batchSplit(f, args)?.size ?? 1;
      const known = crossover().choose(device, program, batch);
      if (known === 'wasm') return attempt('wasm', modes);
      if (known === 'gpu') return null;
      const timed = async (b: RanBackend) => {
        const r = await attempt(b, modes);
        return r && lastRun?.backend === b ? { ...r, run: lastRun, s: lastRun.runMs / 1000 } : null;
      };
      const onGpu = await timed(gpu);
      const onWasm = await timed('wasm');
      if (onGpu) crossover().record(device, program, batch, 'gpu', onGpu.s);
      if (onWasm) crossover().record(device, program, batch, 'wasm', onWasm.s);
      const best = onGpu && onWasm ? (onGpu.s <= onWasm.s ? onGpu : onWasm) : (onGpu ?? onWasm);
      if (best) lastRun = best.run;
      return best;
    };
    const plan = backendPlan(backend, strict, availableModes, ctx);
    for await (const { backend: b, modes } of plan) {
      const picked = backend === 'auto' && isHardwareGpu(b, modes) ? await autoBetween(b, modes) : null;
      if (picked) return picked.out;
      const r = await attempt(b, modes);
      if (r) return r.out;
    }
    throw new JitBackendError(`jit: no backend could run this program (${fallbacks.join('; ')})`);
  };

  const jitted = (...args: unknown[]) => {
    const { entry, leaves } = entryFor(args);
    if (underTransform() || leaves.some((l) => l instanceof Tracer)) return evalStaged(entry.staged, leaves);
    return runConcrete(entry, leaves, args);
  };
  Object.defineProperty(jitted, 'lastRun', { get: () => lastRun });
  Object.defineProperty(jitted, 'stage', { value: (...args: unknown[]) => entryFor(args).entry.staged });
  Object.defineProperty(jitted, 'lower', {
    value: (...args: unknown[]) => {
      const { entry } = entryFor(args);
      return { staged: entry.staged, program: programOf(entry) };
    },
  });
  return jitted as unknown as Jitted<F>;
}
