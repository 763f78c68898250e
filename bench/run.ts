/**
 * `npm run bench`: our time and PyTorch's for each row, measured in the same run, printed as a JSON table
 * (progress goes to stderr); rows that declare a limit also get the hand-written C solver's time (one thread)
 * and, for solves, its WebAssembly build's, each measured in rounds alternating with ours (bench/rounds.ts).
 * See USAGE in ./args for the flags.
 */
import { writeFileSync } from 'node:fs';
import { installNodeThreads } from '../core/jit/node-threads';
import { BenchArgsError, parseBenchArgs, selectRows, USAGE, wantsMemory, wantsSparse } from './args';
import { type BenchCase, benchCases } from './cases';
import { benchLimit } from './limit';
import { runMemoryGroup } from './memory-group';
import { type RoundsTiming, timeInRounds, type Yardstick } from './rounds';
import { runSparseGroup } from './sparse-group';
import { formatTable, timeRow } from './table';
import { timeReps } from './timing';
import { runTorch, type TorchDType, torchUnavailable } from './torch';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The peer's time for a row; rows that ask the same question (a solve compiled two ways) share one run. */
const peerMemo = new Map<string, Promise<number | null>>();
function peer(c: BenchCase, dtype: TorchDType, reps: number): Promise<number | null> {
  if (!c.torch) return Promise.resolve(null);
  const key = JSON.stringify([c.torch, dtype, reps]);
  let p = peerMemo.get(key);
  if (p) log(`  torch ${dtype}: the measurement above, reused`);
  else {
    p = measurePeer(c.torch, dtype, reps);
    peerMemo.set(key, p);
  }
  return p;
}

async function measurePeer(
  torch: NonNullable<BenchCase['torch']>,
  dtype: TorchDType,
  reps: number,
): Promise<number | null> {
  try {
    const t = await runTorch({ ...torch, dtype, reps });
    log(`  torch ${dtype}: ${t.median_s.toFixed(3)} s (torch ${t.torch}, ${t.threads} thread)`);
    return t.median_s;
  } catch (e) {
    log(`  torch ${dtype} failed: ${(e as Error).message.split('\n')[0]}`);
    return null;
  }
}

/**
 * What a row is compared with in its own rounds (bench/rounds.ts): the C limit (solve of B cases, or the hand
 * adjoint), for float32 solves the limit's WebAssembly build, and for *_threads rows our own one-thread run.
 */
function yardsticksOf(c: BenchCase, reps: number, withLimit: boolean): Record<string, Yardstick> {
  const out: Record<string, Yardstick> = {};
  if (c.limit && withLimit) {
    const limit = benchLimit();
    const { what, B } = c.limit;
    out.limit =
      what === 'grad' ? () => limit.limitGrad(c.dtype, reps) : () => limit.limitSolve(B, c.dtype, reps);
    // the WebAssembly build of the hand-written kernel is float32: a float64 row has no peer there
    if (what === 'solve' && c.dtype === 'float32') out.wasmLimit = () => limit.wasmLimitSolve(B, reps);
  }
  const one = c.oneThread;
  if (one) {
    let warm = false;
    out.oneThread = async () => {
      const t = await timeReps(one, { reps, warmup: warm ? null : undefined });
      warm = true;
      log(`  ours on one thread: ${t.median_s.toFixed(3)} s`);
      return t.median_s;
    };
  }
  return out;
}

/** The row's columns from what its rounds compared it with. */
function comparedColumns(c: BenchCase, withLimit: boolean, compared: RoundsTiming['compared']) {
  const { limit, wasmLimit, oneThread } = compared;
  return {
    ...(c.limit && withLimit
      ? {
          limitS: limit?.median_s ?? null,
          vsLimit: limit?.ours_over ?? null,
          ...(c.limit.what === 'solve' && c.dtype === 'float32'
            ? { wasmLimitS: wasmLimit?.median_s ?? null, vsWasmLimit: wasmLimit?.ours_over ?? null }
            : {}),
        }
      : {}),
    ...(oneThread
      ? {
          oneThreadS: oneThread.median_s,
          threadsSpeedup: oneThread.ours_over ? 1 / oneThread.ours_over : null,
        }
      : {}),
  };
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseBenchArgs>;
  let rows: BenchCase[];
  try {
    args = parseBenchArgs(process.argv.slice(2));
    rows = selectRows(benchCases(), args);
  } catch (e) {
    if (!(e instanceof BenchArgsError)) throw e;
    log(e.message);
    return 2;
  }
  // the *_threads rows split their cases over this thread and one worker per further core (or --threads in all)
  installNodeThreads(args.threads === null ? undefined : args.threads - 1);
  if (args.help) {
    log(USAGE);
    return 0;
  }

  const noTorch = rows.some((c) => c.torch) ? await torchUnavailable() : null;
  if (noTorch) log(`PyTorch peer unavailable, printing our numbers alone (torch_s null): ${noTorch}`);

  const table: object[] = [];
  for (const c of rows) {
    const reps = args.reps ?? c.reps;
    const yardsticks = yardsticksOf(c, reps, args.limit);
    // eager rows are 10²–10³× their limits: one round, its noise is beside the point (and their runs are long)
    const rounds = Object.keys(yardsticks).length && c.firstCallS ? args.rounds : 1;
    log(
      `${c.name}: ours, 1 warm-up${c.firstCallS ? ' (the compiling first call)' : ''} + ${reps} rep(s)` +
        (rounds > 1 ? ` in each of ${rounds} rounds with ${Object.keys(yardsticks).join(', ')} ...` : ' ...'),
    );
    let ours: RoundsTiming;
    try {
      ours = await timeInRounds(c.ours, { reps, rounds, warmup: c.warmup }, yardsticks);
    } catch (e) {
      // A compiled row whose backend cannot run here (strict jit) is reported, not fatal to the table.
      const why = (e as Error).message.split('\n')[0];
      log(`  ours failed: ${why}`);
      const failed = timeRow({
        name: c.name,
        oursS: null,
        torchS: null,
        torchF32S: null,
        backend: `failed: ${why}`,
        dtype: c.dtype,
        reps,
        ...(c.limit && args.limit
          ? { limitS: null, ...(c.limit.what === 'solve' ? { wasmLimitS: null } : {}) }
          : {}),
      });
      table.push(failed);
      continue;
    }
    // what the row compiled goes before the next row runs (a 400×400 Jacobian's programs hold hundreds of MB)
    c.release?.();
    (globalThis as { gc?: () => void }).gc?.();
    const firstCallS = c.firstCallS?.();
    if (firstCallS != null) log(`  first call (compile + run): ${firstCallS.toFixed(3)} s`);
    log(`  ours: ${ours.median_s.toFixed(3)} s (runs ${ours.times_s.map((t) => t.toFixed(3)).join(', ')})`);
    const peerReps = args.reps ?? c.peerReps ?? reps;
    const torchS = noTorch ? null : await peer(c, c.dtype, peerReps);
    const torchF32S =
      noTorch || !args.torchF32 || c.dtype === 'float32' ? null : await peer(c, 'float32', peerReps);
    table.push(
      timeRow({
        name: c.name,
        oursS: ours.median_s,
        torchS,
        torchF32S,
        backend: c.backend(),
        dtype: c.dtype,
        reps,
        ...(c.firstCallS ? { firstCallS: firstCallS ?? null } : {}),
        ...comparedColumns(c, args.limit, ours.compared),
      }),
    );
  }
  if (wantsSparse(args)) table.push(runSparseGroup(log));
  if (wantsMemory(args)) table.push(...(await runMemoryGroup(undefined, log)));

  benchLimit().dispose();
  process.stdout.write(`${formatTable(table)}\n`);
  if (args.json) writeFileSync(args.json, `${JSON.stringify(table, null, 2)}\n`);
  return 0;
}

process.exitCode = await main();
