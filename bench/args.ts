/** Command-line flags of the bench scripts (`npm run bench`'s parsed without side effects, so they can be tested). */
import { type ParseArgsConfig, parseArgs } from 'node:util';

export interface BenchArgs {
  /** Also write the rows as a JSON array to this file. */
  json: string | null;
  /** Row names (or `memory` for the memory group) to run; null runs the default set. */
  only: string[] | null;
  /** Timed runs per row and round, overriding each row's own count. */
  reps: number | null;
  /** Rounds of a row with yardsticks (limits, one thread): ours then each of them, compared round by round. */
  rounds: number;
  /** Skip the slow rows (solve_B256 and the 400×400 Jacobians, eager and compiled). */
  quick: boolean;
  /** Add the memory group (peak memory of grad with and without checkpointing). */
  memory: boolean;
  /** Also time the peer in float32, the dtype the PyTorch numbers were measured in. */
  torchF32: boolean;
  /** Build and time the hand-written limit (../shared/bench/limit) beside the rows that declare one. */
  limit: boolean;
  /** Threads in all for the *_threads rows (this one and threads − 1 workers); null: one per core. */
  threads: number | null;
  help: boolean;
}

export class BenchArgsError extends Error {
  override name = 'BenchArgsError';
}

export const USAGE = `usage: npm run bench -- [flags]
  flags: --only a,b  --reps n  --rounds n  --threads n  --quick  --memory  --no-f32  --no-limit  --json FILE
  --only     rows to run (solve_B4, solve_B256, grad, jacfwd_400, jacrev_400, each also compiled
             as NAME_webasm (gpu.js, float32) and NAME_wasm (core's WebAssembly); solve_B1024_wasm,
             solve_B4_wasm_f64, hessian_theta_wasm; NAME_wasm_threads: cases or Jacobian chunks on
             worker threads; first calls reported as first_call_s; sparse_E4, memory)
  --reps     timed runs per row (per round) after one warm-up (default 5; solve_B4_wasm* 25; solve_B256* 3;
             the Jacobians 1)
  --rounds   compiled rows compared with the limits or with one thread run in rounds: ours, then each of
             those, back to back; vs_limit, vs_wasm_limit and threads_speedup are medians of each round's
             own ratio (default 3; eager rows: one round)
  --threads  threads in all for the *_threads rows (default: one per core)
  --quick    skip the slow rows (solve_B256 eager and webasm, solve_B1024_wasm, the 400x400 Jacobians)
  --memory   also run the memory group (peak memory of grad, default checkpoints vs 1)
  --no-f32   do not time PyTorch in float32 as well
  --no-limit do not build and time the hand-written limit (C one thread, and its WebAssembly build;
             columns limit_s, vs_limit = ours / limit, wasm_limit_s, vs_wasm_limit)
  --json     also write the rows as a JSON array to FILE`;

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const out: BenchArgs = {
    json: null,
    only: null,
    reps: null,
    rounds: 3,
    quick: false,
    memory: false,
    torchF32: true,
    limit: true,
    threads: null,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    // Accept both `--flag value` and `--flag=value`.
    const eq = raw.indexOf('=');
    const flag = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw;
    const inline = flag !== raw ? raw.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new BenchArgsError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--json':
        out.json = value();
        break;
      case '--only':
        out.only = value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        if (out.only.length === 0) throw new BenchArgsError('--only needs at least one row name');
        break;
      case '--reps':
      case '--rounds':
      case '--threads': {
        const v = value();
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1)
          throw new BenchArgsError(`${flag} must be a positive integer (got ${v})`);
        if (flag === '--reps') out.reps = n;
        else if (flag === '--rounds') out.rounds = n;
        else out.threads = n;
        break;
      }
      case '--quick':
        out.quick = true;
        break;
      case '--memory':
        out.memory = true;
        break;
      case '--no-f32':
        out.torchF32 = false;
        break;
      case '--no-limit':
        out.limit = false;
        break;
      case '--help':
      case '-h':
        out.help = true;
        break;
      default:
        throw new BenchArgsError(`unknown argument ${raw}\n${USAGE}`);
    }
    if (inline !== undefined && !['--json', '--only', '--reps', '--rounds', '--threads'].includes(flag))
      throw new BenchArgsError(`${flag} takes no value`);
  }
  return out;
}

/** The rows to run, in list order; unknown names are an error that lists the known ones. */
export function selectRows<T extends { name: string; slow: boolean }>(
  cases: readonly T[],
  args: BenchArgs,
): T[] {
  if (args.only) {
    const known = new Set([...cases.map((c) => c.name), 'memory', 'sparse_E4']);
    const unknown = args.only.filter((n) => !known.has(n));
    if (unknown.length)
      throw new BenchArgsError(`unknown row ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
    return cases.filter((c) => args.only!.includes(c.name));
  }
  return cases.filter((c) => !(args.quick && c.slow));
}

/** Whether the sparse-Jacobian group runs: by default, or when named in --only. */
export const wantsSparse = (args: BenchArgs): boolean => !args.only || args.only.includes('sparse_E4');

/** Whether the memory group runs: asked for with --memory, or named in --only. */
export const wantsMemory = (args: BenchArgs): boolean =>
  args.memory || (args.only?.includes('memory') ?? false);

/** A side script's bad flag: what is wrong and the usage on stderr, exit status 2. */
function refuse(message: string, usage: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

/**
 * Flags of the side scripts (bench:gpu, bench:floor) by node:util's parseArgs, strict: an unknown or malformed
 * flag is refused (see `refuse`).
 */
export function scriptArgs<const O extends ParseArgsConfig['options']>(options: O, usage: string) {
  try {
    return parseArgs({ options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    refuse(e instanceof Error ? e.message : String(e), usage);
  }
}

/** A side script's `--flag` value as a comma-separated list of positive integers, else refused. */
export function positiveInts(flag: string, text: string, usage: string): number[] {
  const ns = text.split(',').map((p) => Number(p.trim()));
  if (ns.some((n) => !Number.isInteger(n) || n < 1))
    refuse(`--${flag} must be positive integers separated by commas (got ${text})`, usage);
  return ns;
}

/** A side script's `--flag` value as one positive integer, else refused. */
export function positiveInt(flag: string, text: string, usage: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) refuse(`--${flag} must be a positive integer (got ${text})`, usage);
  return n;
}
