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

import { batchSplit } from '../api/vmap';
import { Tracer, underTransform } from '../interpreter/trace';
import { evalJaxpr, type Jaxpr } from '../ir/jaxpr';
import { makeJaxpr } from '../ir/stage';
import { sizeOf } from '../tensor/shape';
import type { Aval, ConcreteTensor, Tensor } from '../tensor/tensor';
import { flatten, type TreeDef, unflatten } from '../util/pytree';
import {
  chainFor,
  checkReports,
  device,
  forgetDevice,
  type JitBackend,
  NO_MODES,
  type RanBackend,
} from './backends';
import {
  type AvailableModes,
  availableModes,
  type DeviceMode,
  type ExecutorReport,
  isDeviceLost,
} from './gpujs';
import { lowerProgram, type Program } from './lower';
import { CompiledProgram } from './runtime';

export type { JitBackend, RanBackend } from './backends';

export interface JitOptions {
  /** Default 'auto' (best available: hardware webgpu, hardware webgl2, webasm, cpu, eager). */
  backend?: JitBackend;
  /** webasm: let gpu.js run the pipeline on its worker pool ('fused-threaded') when it can. Default true. */
  threads?: boolean;
  /** Throw instead of falling back to another backend. Default false. */
  strict?: boolean;
  /**
   * Largest buffer a kernel may use, in bytes (default: the device's own limit). A program that needs a
   * bigger one runs in chunks of its batch when f was made by vmap; otherwise the backend is skipped.
   */
  maxBufferBytes?: number;
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
  /** Time to lower the program (first call of a signature only, else 0) and to run it, in ms. */
  readonly lowerMs: number;
  readonly runMs: number;
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
  program?: Program;
  compiled: Map<string, CompiledProgram>;
  failed: Map<string, string>;
}

export type Jitted<F extends (...args: any[]) => any> = ((...args: Parameters<F>) => any) & {
  /** What the last concrete call ran on (null before the first). */
  readonly lastRun: JitRunInfo | null;
  /** Stage (and lower) for these arguments without running: for inspection and tests. */
  lower(...args: Parameters<F>): { staged: Staged; program: Program };
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
  let lastRun: JitRunInfo | null = null;

  const entryFor = (args: unknown[]): { entry: Entry; leaves: Tensor[]; cached: boolean } => {
    const [leaves, def] = flatten(args);
    const avals = leaves.map((l) => ({ shape: [...l.shape], dtype: l.dtype }));
    const key = `${defKey(def)}|${avals.map(avalKey).join(';')}`;
    const hit = cache.get(key);
    if (hit) return { entry: hit, leaves, cached: true };
    const staged = stage(f, def, avals);
    const entry: Entry = { staged, compiled: new Map(), failed: new Map() };
    // A jaxpr that closes over tracers belongs to the transform that made them: never reuse it.
    if (!staged.consts.some((c) => c instanceof Tracer)) cache.set(key, entry);
    return { entry, leaves, cached: false };
  };

  const programOf = (entry: Entry): Program => {
    if (!entry.program)
      entry.program = lowerProgram(entry.staged.jaxpr, entry.staged.consts as ConcreteTensor[]);
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

  const runConcrete = async (entry: Entry, leaves: Tensor[], args: unknown[]): Promise<unknown> => {
    const { staged } = entry;
    const inputs = leaves.map((l) => l.concrete('jit'));
    const fallbacks: string[] = [];
    const skip = (b: string, why: string) => {
      const msg = `backend '${b}' was not used: ${why}`;
      fallbacks.push(msg);
      if (strict) throw new JitBackendError(msg);
      warn(msg);
    };
    const modes: AvailableModes = await availableModes().catch(() => NO_MODES);
    for (const b of chainFor(backend, strict, modes)) {
      if (b === 'eager') {
        const t0 = performance.now();
        const outs = evalJaxpr(staged.jaxpr, [...staged.consts, ...inputs]);
        lastRun = {
          requested: backend,
          backend: 'eager',
          executors: [],
          fallbacks,
          phases: 0,
          launches: staged.jaxpr.eqns.length,
          kernels: 0,
          chunks: 1,
          lowerMs: 0,
          runMs: performance.now() - t0,
        };
        return unflatten(staged.outDef, outs);
      }
      if (!modes[b]) {
        skip(b, `gpu.js reports ${b} unavailable on this platform`);
        continue;
      }
      const failed = entry.failed.get(b);
      if (failed) {
        skip(b, failed);
        continue;
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
        lastRun = {
          requested: backend,
          backend: problem ? ((r.reports.find((x) => x.backend !== b)?.backend as RanBackend) ?? b) : b,
          executors: r.reports,
          fallbacks,
          phases: r.phases,
          launches: r.launches,
          kernels: r.kernels,
          chunks: r.chunks,
          lowerMs: r.lowerMs,
          runMs: r.runMs,
        };
        return r.out;
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
    }
    throw new JitBackendError(`jit: no backend could run this program (${fallbacks.join('; ')})`);
  };

  const jitted = (...args: unknown[]) => {
    const { entry, leaves } = entryFor(args);
    const { staged } = entry;
    if (
      underTransform() ||
      leaves.some((l) => l instanceof Tracer) ||
      staged.consts.some((c) => c instanceof Tracer)
    )
      return unflatten(staged.outDef, evalJaxpr(staged.jaxpr, [...staged.consts, ...leaves]));
    return runConcrete(entry, leaves, args);
  };
  Object.defineProperty(jitted, 'lastRun', { get: () => lastRun });
  Object.defineProperty(jitted, 'lower', {
    value: (...args: unknown[]) => {
      const { entry } = entryFor(args);
      return { staged: entry.staged, program: programOf(entry) };
    },
  });
  return jitted as unknown as Jitted<F>;
}
