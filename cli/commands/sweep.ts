/**
 * `sweep`: many cases from one spec file into a Zarr store, on local worker threads or as a Slurm array.
 *
 *   sweep run SPEC.json --out STORE.zarr [--workers K]       compute the missing shards here
 *   sweep submit SPEC.json --out STORE.zarr --slurm [...]    one Slurm array task per missing shard
 *   sweep task STORE.zarr --shard I [--count K]              shards I…I+K−1 (what each array task runs)
 *   sweep status STORE.zarr                                  shards done / queued / missing
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { installNodeThreads } from '../../core/jit/node-threads';
import type { Command, Report } from '../command';
import { UsageError } from '../errors';
import { filePath, flag, helpText, integer, parseFlags, toggle } from '../flags';
import { userPath } from '../npy-files';
import { runLocal } from '../sweep/local';
import { shardRunner } from '../sweep/shard';
import { endedTasks, queuedShards, readJobs, submit } from '../sweep/slurm';
import { checkAllInputs, loadSweep, type Sweep } from '../sweep/spec';
import { doneShards, openStore, sweepOfStore } from '../sweep/store';

const positiveInt = integer.refine((v) => v >= 1, 'must be ≥ 1');

const SUBCOMMANDS = {
  run: {
    args: 'SPEC.json',
    summary: 'compute every shard the store lacks on local worker threads (rerun to resume)',
    flags: {
      out: flag(
        'STORE.zarr',
        'the result store (created; an existing one of the same spec is resumed)',
        filePath,
      ),
      workers: flag(
        'K',
        'worker threads (one shard each at a time)',
        positiveInt.default(availableParallelism()),
      ),
    },
  },
  submit: {
    args: 'SPEC.json',
    summary: 'submit one Slurm array task per missing shard (or group of shards); prints the job id',
    flags: {
      out: flag('STORE.zarr', 'the result store (created here, written by the tasks)', filePath),
      slurm: toggle('submit to Slurm with sbatch (the one scheduler supported)'),
      resume: toggle('the store exists: submit only the shards it lacks'),
      partition: flag('NAME', 'Slurm partition', z.string().min(1).optional()),
      time: flag('LIMIT', 'time limit per task (Slurm syntax, e.g. 00:10:00)', z.string().min(1).optional()),
      cpus: flag('K', 'CPUs per task', positiveInt.default(1)),
      gpus: flag('K', 'GPUs per task', positiveInt.optional()),
      'array-max': flag('K', 'at most K tasks running at once', positiveInt.optional()),
      'shards-per-task': flag(
        'K',
        'shards each array task computes in turn (longer tasks: start-up paid once per K shards)',
        positiveInt.default(1),
      ),
    },
  },
  task: {
    args: 'STORE.zarr',
    summary: 'compute shards of a store made by submit (what each array task runs)',
    flags: {
      shard: flag('I', 'the first shard to compute', integer),
      count: flag('K', 'compute shards I … I+K−1 (finished ones are skipped)', positiveInt.default(1)),
    },
  },
  status: {
    args: 'STORE.zarr',
    summary:
      'shards done, queued or running (squeue), failed (a task ran, no result: its last log line), missing',
    flags: {},
  },
} as const;

type Sub = keyof typeof SUBCOMMANDS;

const NOTES = [
  'the spec (JSON): {"grid": {"N", "Nvx", "CFL", "t_end", "every"}, "Tini": FORMULA | {"npy": FILE},',
  '  "sigma": FORMULA | {"npy": FILE}, "space": {"product": {"a": [..] | {"linspace": [lo, hi, n]}}}',
  '  | {"list": [{"a": ..}, ..]} | {"random"|"lhs": {"n", "seed", "ranges": {"a": [lo, hi]}}},',
  '  "compute": ["solve", {"grad": {"wrt": "sigma"|"Tini"}}, {"jvp": {"wrt": .., "direction": FORMULA}},',
  '    {"jacobian": {"wrt": .., "output": "E"|"T", "record": "final"|R, "layout": "dense"|"sparse"}}],',
  '  "dtype": "float64"|"float32",',
  '  "backend": "wasm"|"eager", "shard_size": K}. Formulas are those of the workbench, in x and the',
  '  parameters. The store is Zarr format 2: E, T, jvp_* [case, t, x], grad_* [case, x], params, x, t;',
  '  a dense Jacobian jac_<out>_r<R>_<wrt> [case, x_out, x_in]; a sparse one its values per case',
  '  jac_…_vals [case, nnz] on the pattern jac_…_rows, jac_…_cols [nnz] (COO, 0-based), found once per spec.',
];

function help(): string {
  const parts = Object.entries(SUBCOMMANDS).map(([name, s]) =>
    helpText(`sweep ${name} ${s.args}`, s.summary, s.flags as never),
  );
  return [...parts, NOTES.join('\n')].join('\n\n');
}

const reportOf = (sub: string, sweep: Sweep, store: string, extra: Record<string, unknown>): Report => ({
  command: `sweep ${sub}`,
  backend: sweep.json.backend,
  dtype: sweep.json.dtype,
  seconds: 0,
  shapes: {
    params: [sweep.cases.count, sweep.cases.names.length],
    E: [sweep.cases.count, sweep.R, sweep.grid.N],
  },
  files: [userPath(store)],
  cases: sweep.cases.count,
  shards: sweep.shards,
  shard_size: sweep.shardSize,
  ...extra,
});

async function runSub(sub: Sub, positional: string, argv: string[]): Promise<Report | null> {
  const parsed = parseFlags(`sweep ${sub}`, argv, SUBCOMMANDS[sub].flags as never) as unknown;
  if (parsed === 'help') {
    process.stdout.write(`${help()}\n`);
    return null;
  }
  const values = parsed as Record<string, any>;
  if (sub === 'run' || sub === 'submit') {
    const sweep = loadSweep(userPath(positional));
    checkAllInputs(sweep);
    const store = userPath(values.out);
    if (sub === 'submit' && !values.slurm)
      throw new UsageError('sweep submit: add --slurm (Slurm is the one scheduler supported)');
    const before = doneShards(store);
    if (sub === 'submit' && before.size > 0 && !values.resume)
      throw new UsageError(
        `sweep submit: --out ${values.out} already holds ${before.size} finished shard(s): add --resume to submit only the missing ones`,
      );
    openStore(store, sweep);
    if (sub === 'run') {
      const t0 = performance.now();
      const r = await runLocal(store, sweep, values.workers);
      const seconds = Math.round(performance.now() - t0) / 1000;
      if (r.stopped) {
        process.stderr.write(
          `rte: sweep stopped: ${r.shardsDone}/${sweep.shards} shards are in the store; run the same command again to resume\n`,
        );
        process.exitCode = 130;
      }
      return {
        ...reportOf('run', sweep, values.out, {
          shards_run: r.shardsRun,
          cases_run: r.casesRun,
          shards_done: r.shardsDone,
          cases_per_second: Math.round(r.rate * 10) / 10,
          stopped: r.stopped,
        }),
        backend: r.backend,
        seconds,
      };
    }
    const done = doneShards(store);
    const missing = Array.from({ length: sweep.shards }, (_, k) => k).filter((k) => !done.has(k));
    if (missing.length === 0) return reportOf('submit', sweep, values.out, { job: null, submitted: [] });
    // array task g computes shards g·K … g·K + K − 1: resubmit every group that lacks one
    const perTask = values['shards-per-task'] as number;
    const groups = [...new Set(missing.map((k) => Math.floor(k / perTask)))];
    const { job, script } = submit(store, groups, {
      partition: values.partition,
      time: values.time,
      cpus: values.cpus,
      gpus: values.gpus,
      arrayMax: values['array-max'],
      shardsPerTask: perTask,
    });
    return reportOf('submit', sweep, values.out, { job, script, submitted: missing, tasks: groups.length });
  }
  const store = userPath(positional);
  const sweep = sweepOfStore(store);
  if (sub === 'task') {
    const first = values.shard as number;
    if (first < 0 || first >= sweep.shards)
      throw new UsageError(
        `sweep task: --shard ${first} is out of range (this store has shards 0..${sweep.shards - 1})`,
      );
    const shards = Array.from({ length: values.count as number }, (_, i) => first + i).filter(
      (k) => k < sweep.shards,
    );
    const done = doneShards(store);
    const todo = shards.filter((k) => !done.has(k));
    // a task given several CPUs (sbatch --cpus-per-task) splits its shards' cases over that many threads
    const cpus = Number(process.env.SLURM_CPUS_PER_TASK ?? 1);
    const threads = todo.length > 0 && Number.isInteger(cpus) && cpus > 1 && installNodeThreads(cpus - 1) > 0;
    const runner = todo.length > 0 ? shardRunner(sweep, store, threads) : null;
    let cases = 0;
    let backend: string = sweep.json.backend;
    const t0 = performance.now();
    for (const k of todo) {
      const r = await runner!.run(k);
      cases += r.cases;
      backend = r.backend;
    }
    return {
      ...reportOf('task', sweep, positional, {
        shards_run: todo,
        skipped: shards.filter((k) => done.has(k)),
        cases_run: cases,
      }),
      backend,
      seconds: Math.round(performance.now() - t0) / 1000,
    };
  }
  const done = doneShards(store);
  const queued = queuedShards(store);
  const ended = endedTasks(store);
  const missing: number[] = [];
  const failed: Record<string, string> = {};
  const states: Record<string, number> = {};
  for (let k = 0; k < sweep.shards; k++) {
    if (done.has(k)) continue;
    const state = queued?.get(k);
    const log = ended.get(k);
    if (state) states[state] = (states[state] ?? 0) + 1;
    else if (log !== undefined) failed[k] = log;
    else missing.push(k);
  }
  if (queued === null)
    process.stderr.write('rte: note: squeue is not available: queued shards count as missing\n');
  return reportOf('status', sweep, positional, {
    done: done.size,
    queued: states,
    failed,
    missing,
    jobs: readJobs(store).map((j) => j.job),
  });
}

export const sweepCommand: Command = {
  name: 'sweep',
  summary:
    'Many cases from a spec file into a Zarr store: run (local threads), submit (Slurm), task, status.',
  help,
  async run(argv) {
    const [sub, positional, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h') {
      process.stdout.write(`${help()}\n`);
      return null;
    }
    if (!Object.hasOwn(SUBCOMMANDS, sub))
      throw new UsageError(
        `sweep: unknown subcommand '${sub}' (allowed: ${Object.keys(SUBCOMMANDS).join(', ')})`,
      );
    const s = sub as Sub;
    if (positional === '--help' || positional === '-h') return runSub(s, '', ['--help']);
    if (positional === undefined || positional.startsWith('--'))
      throw new UsageError(
        `sweep ${s}: missing ${SUBCOMMANDS[s].args} (usage: sweep ${s} ${SUBCOMMANDS[s].args} [flags])`,
      );
    return runSub(s, positional, rest);
  },
};
