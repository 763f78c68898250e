/**
 * The limit: the seed's batched solve and its adjoint written by hand in C (one thread), and the same kernel as
 * WebAssembly SIMD128, from `../shared/bench/limit` next to the repository (or $RTE_LIMIT_DIR). That folder is
 * read-only: the C solver is compiled once per bench run into a temporary folder (removed at exit), then each
 * measurement runs it in a child process and reads the one JSON line it prints; the WebAssembly build is
 * instantiated in this process, beside ours (wasm-limit.ts says why). Nothing of its code is copied here.
 *
 * Where it cannot run (no compiler, no folder, a failed run) a measurement is null and the reason goes to the
 * log in one line, as the PyTorch peer does: the table is never lost to it.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { referenceDir } from '../scripts/reference-data';
import type { TorchDType } from './torch';
import { loadWasmLimit, type WasmLimit } from './wasm-limit';

/** The reference README's float32 tolerance: the WebAssembly limit is timed only where it meets it. */
const WASM_LIMIT_TOLERANCE = 1e-4;

const run = promisify(execFile);

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** What a row compares with: the C solve at batch B, or the C hand adjoint (grad of Σ E_final, case 0). */
export interface LimitSpec {
  what: 'solve' | 'grad';
  B: number;
}

/** The fields of the JSON line that `solve bench|grad` and `wasm/run.mjs` print that we read. */
export interface LimitTiming {
  /** `c` or `c-wasm-simd128`. */
  impl: string;
  what: string;
  /** `f32`/`f64` (C) or `float32` (WebAssembly). */
  dtype: string;
  threads: number;
  median_s: number;
  min_s: number;
  times_s: number[];
}

/** `../shared/bench/limit` next to the repository, or $RTE_LIMIT_DIR when set. */
export function limitDir(): string {
  return resolve(process.env.RTE_LIMIT_DIR ?? resolve(repoRoot, '../shared/bench/limit'));
}

/** The C solver's dtype flag for ours. */
export const cDType = (dtype: TorchDType): 'f32' | 'f64' => (dtype === 'float32' ? 'f32' : 'f64');

/** The compile command's arguments (after `cc`), as the limit's README gives it. */
export function ccArgs(dir: string, exe: string): string[] {
  return ['-O3', '-march=native', '-ffp-contract=off', '-fopenmp', '-o', exe, join(dir, 'solve.c'), '-lm'];
}

export function solveArgs(ref: string, B: number, dtype: TorchDType, reps: number): string[] {
  return ['bench', ref, '--B', String(B), '--threads', '1', '--reps', String(reps), '--dtype', cDType(dtype)];
}

export function gradArgs(ref: string, dtype: TorchDType, reps: number): string[] {
  return ['grad', ref, '--dtype', cDType(dtype), '--reps', String(reps)];
}

/** The last non-empty line of a run's stdout as a timing; throws, naming the source, when it is not one. */
export function parseLimitLine(stdout: string, source: string): LimitTiming {
  const line =
    stdout
      .trim()
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ?? '';
  let parsed: Partial<LimitTiming>;
  try {
    parsed = JSON.parse(line) as Partial<LimitTiming>;
  } catch {
    throw new Error(`${source} printed no JSON line: ${line.slice(0, 200) || '(nothing)'}`);
  }
  if (typeof parsed !== 'object' || parsed === null)
    throw new Error(`${source} printed no JSON object: ${line.slice(0, 200)}`);
  const m = parsed.median_s;
  if (typeof m !== 'number' || !Number.isFinite(m) || m <= 0)
    throw new Error(`${source} printed no positive median_s: ${line.slice(0, 200)}`);
  return {
    impl: String(parsed.impl ?? ''),
    what: String(parsed.what ?? ''),
    dtype: String(parsed.dtype ?? ''),
    threads: typeof parsed.threads === 'number' ? parsed.threads : 1,
    median_s: m,
    min_s: typeof parsed.min_s === 'number' ? parsed.min_s : m,
    times_s: Array.isArray(parsed.times_s) ? parsed.times_s.filter((t) => typeof t === 'number') : [],
  };
}

const firstLine = (e: unknown): string => {
  const err = e as { stderr?: string; message?: string };
  const text = (err.stderr?.trim() || err.message || String(e)).trim();
  return text.split('\n')[0] ?? text;
};

export interface LimitOptions {
  /** The limit's folder (default: limitDir()). */
  dir?: string;
  /** The reference folder the solvers read their inputs from (default: ../shared/reference, $RTE_REFERENCE_DIR). */
  reference?: string;
  /** The C compiler (default `cc`). */
  cc?: string;
  /** Where one-line reasons and results go (default: stderr). */
  log?: (line: string) => void;
}

export interface Limit {
  /** Median seconds of the C solve of B cases in one thread, or null (the reason logged). */
  limitSolve(B: number, dtype: TorchDType, reps: number): Promise<number | null>;
  /** Median seconds of the C hand adjoint (grad of Σ E_final, case 0), or null (the reason logged). */
  limitGrad(dtype: TorchDType, reps?: number): Promise<number | null>;
  /**
   * Median seconds of the WebAssembly SIMD128 solve (float32) of B cases in this process, or null (the reason
   * logged): one module per B, kept until another B is asked for; its first run, checked against the
   * reference, is the warm-up.
   */
  wasmLimitSolve(B: number, reps: number): Promise<number | null>;
  /** Why the C solver cannot run here (building it on first call), or null when it can. */
  unavailable(): Promise<string | null>;
  /** Remove the temporary build folder (also done at exit). */
  dispose(): void;
}

/** A limit runner: builds the C solver at most once, on first use. */
export function createLimit(opts: LimitOptions = {}): Limit {
  const dir = resolve(opts.dir ?? limitDir());
  const reference = resolve(opts.reference ?? referenceDir());
  const cc = opts.cc ?? 'cc';
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  let tmp: string | null = null;
  let wasm: { B: number; limit: Promise<WasmLimit> } | null = null;
  const dispose = () => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    tmp = null;
    wasm = null;
  };
  let build: Promise<{ exe: string } | { reason: string }> | null = null;
  let reported = false;

  const missingFolder = (file: string): string | null =>
    existsSync(join(dir, file)) ? null : `the limit is missing (${join(dir, file)}; set RTE_LIMIT_DIR)`;

  const doBuild = async (): Promise<{ exe: string } | { reason: string }> => {
    const missing = missingFolder('solve.c');
    if (missing) return { reason: missing };
    tmp = mkdtempSync(join(tmpdir(), 'rte-limit-'));
    process.once('exit', dispose);
    const exe = join(tmp, 'solve');
    try {
      await run(cc, ccArgs(dir, exe), { timeout: 5 * 60_000, maxBuffer: 16 * 1024 * 1024 });
      return { exe };
    } catch (e) {
      dispose();
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        return { reason: `no C compiler (${cc} not found; Debian: apt-get install -y gcc)` };
      return { reason: `${cc} failed to build ${join(dir, 'solve.c')}: ${firstLine(e)}` };
    }
  };

  const exe = async (): Promise<string | null> => {
    build ??= doBuild();
    const b = await build;
    if ('exe' in b) return b.exe;
    if (!reported) log(`limit (C) unavailable, its columns stay null: ${b.reason}`);
    reported = true;
    return null;
  };

  const measure = async (label: string, file: string, args: string[], env?: NodeJS.ProcessEnv) => {
    try {
      const { stdout } = await run(file, args, {
        timeout: 30 * 60_000,
        maxBuffer: 16 * 1024 * 1024,
        ...(env ? { env } : {}),
      });
      const t = parseLimitLine(stdout, label);
      log(`  ${label}: ${t.median_s.toPrecision(4)} s (${t.impl}, ${t.dtype}, ${t.threads} thread)`);
      return t.median_s;
    } catch (e) {
      log(`  ${label} failed: ${firstLine(e)}`);
      return null;
    }
  };

  return {
    async limitSolve(B, dtype, reps) {
      const solve = await exe();
      if (!solve) return null;
      return measure(`limit C solve B=${B} ${cDType(dtype)}`, solve, solveArgs(reference, B, dtype, reps));
    },
    async limitGrad(dtype, reps = 5) {
      const solve = await exe();
      if (!solve) return null;
      return measure(`limit C grad ${cDType(dtype)}`, solve, gradArgs(reference, dtype, reps));
    },
    async wasmLimitSolve(B, reps) {
      const label = `limit wasm solve B=${B} f32`;
      const missing = missingFolder(join('wasm', 'solve.wasm'));
      if (missing) {
        log(`limit (WebAssembly) unavailable: ${missing}`);
        return null;
      }
      if (wasm?.B !== B) wasm = { B, limit: loadWasmLimit(dir, reference, B) };
      try {
        const module = await wasm.limit;
        if (!(module.relErrE <= WASM_LIMIT_TOLERANCE)) {
          log(`  ${label}: not timed, E is ${module.relErrE} from the reference (tolerance 1e-4)`);
          return null;
        }
        const t = await module.time(reps);
        log(`  ${label}: ${t.toPrecision(4)} s (c-wasm-simd128 in this process, float32, 1 thread)`);
        return t;
      } catch (e) {
        log(`  ${label} failed: ${firstLine(e)}`);
        return null;
      }
    },
    async unavailable() {
      build ??= doBuild();
      const b = await build;
      return 'reason' in b ? b.reason : null;
    },
    dispose,
  };
}

let shared: Limit | null = null;
/** The bench run's limit (one build per process). */
export function benchLimit(): Limit {
  shared ??= createLimit();
  return shared;
}

export const limitSolve = (B: number, dtype: TorchDType, reps: number) =>
  benchLimit().limitSolve(B, dtype, reps);
export const limitGrad = (dtype: TorchDType, reps?: number) => benchLimit().limitGrad(dtype, reps);
export const wasmLimitSolve = (B: number, reps: number) => benchLimit().wasmLimitSolve(B, reps);
