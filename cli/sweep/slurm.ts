/**
 * The Slurm runner: an sbatch array script whose task g computes shards g·K … g·K + K − 1 (`rte sweep task STORE
 * --shard g·K --count K`; K = 1 by default), submitted with sbatch; the job ids are kept in the store
 * (`.sweep/slurm/jobs.json`) for `rte sweep status`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors';
import { writeFileAtomic } from './zarr-v2';

export interface SlurmOptions {
  partition?: string | undefined;
  time?: string | undefined;
  cpus: number;
  gpus?: number | undefined;
  arrayMax?: number | undefined;
  /** Array task g computes shards g·K … g·K + K − 1. */
  shardsPerTask: number;
}

const slurmDir = (store: string) => join(store, '.sweep', 'slurm');
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** sbatch's --array value for a list of shards: runs of consecutive shards as ranges. */
export function arrayRanges(shards: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < shards.length; ) {
    let j = i;
    while (j + 1 < shards.length && shards[j + 1] === shards[j]! + 1) j++;
    parts.push(i === j ? `${shards[i]}` : `${shards[i]}-${shards[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The command that runs this CLI again (same node, same loader flags, same entry file). */
export const selfCommand = (): string[] => [process.execPath, ...process.execArgv, resolve(process.argv[1]!)];

/** The script of an array over `tasks` (task g: shards g·K … g·K + K − 1). */
export function sbatchScript(store: string, tasks: readonly number[], o: SlurmOptions): string {
  const abs = resolve(store);
  const logs = join(slurmDir(abs), 'logs');
  const lines = [
    '#!/bin/bash',
    '#SBATCH --job-name=rte-sweep',
    `#SBATCH --array=${arrayRanges(tasks)}${o.arrayMax ? `%${o.arrayMax}` : ''}`,
    '#SBATCH --ntasks=1',
    `#SBATCH --cpus-per-task=${o.cpus}`,
    `#SBATCH --output=${logs}/%A_%a.out`,
    `#SBATCH --chdir=${process.cwd()}`,
    ...(o.partition ? [`#SBATCH --partition=${o.partition}`] : []),
    ...(o.time ? [`#SBATCH --time=${o.time}`] : []),
    ...(o.gpus ? [`#SBATCH --gpus=${o.gpus}`] : []),
    `# array task g computes shards g*${o.shardsPerTask} … g*${o.shardsPerTask}+${o.shardsPerTask - 1}; finished shards are skipped, so a resubmit is safe`,
    `exec ${selfCommand().map(quote).join(' ')} sweep task ${quote(abs)} --shard "$((SLURM_ARRAY_TASK_ID * ${o.shardsPerTask}))" --count ${o.shardsPerTask}`,
    '',
  ];
  return lines.join('\n');
}

/** Write the script into the store, submit it, and record the job id. */
export function submit(
  store: string,
  tasks: readonly number[],
  o: SlurmOptions,
): { job: string; script: string } {
  const dir = slurmDir(store);
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const script = join(dir, `sweep-${Date.now()}.sbatch`);
  writeFileAtomic(script, Buffer.from(sbatchScript(store, tasks, o)));
  const r = spawnSync('sbatch', ['--parsable', script], { encoding: 'utf8' });
  if (r.error)
    throw new UsageError(
      `--slurm: cannot run sbatch (${(r.error as NodeJS.ErrnoException).code}); is this a Slurm login node? The script is at ${script}`,
    );
  if (r.status !== 0)
    throw new UsageError(
      `--slurm: sbatch refused the job: ${r.stderr.trim() || `exit ${r.status}`} (script: ${script})`,
    );
  const job = r.stdout.trim().split(';')[0]!;
  const jobs = readJobs(store);
  jobs.push({
    job,
    tasks: arrayRanges(tasks),
    shards_per_task: o.shardsPerTask,
    script,
    at: new Date().toISOString(),
  });
  writeFileAtomic(join(dir, 'jobs.json'), Buffer.from(`${JSON.stringify(jobs, null, 2)}\n`));
  return { job, script };
}

export interface JobRecord {
  job: string;
  tasks: string;
  shards_per_task: number;
  script: string;
  at: string;
}

export function readJobs(store: string): JobRecord[] {
  const path = join(slurmDir(store), 'jobs.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as JobRecord[]) : [];
}

/** Shard → Slurm state (PENDING, RUNNING, ...) of the store's jobs still known to squeue; null without squeue. */
export function queuedShards(store: string): Map<number, string> | null {
  const jobs = readJobs(store);
  const states = new Map<number, string>();
  if (jobs.length === 0) return states;
  const perTask = new Map(jobs.map((j) => [j.job, j.shards_per_task]));
  const r = spawnSync('squeue', ['-h', '-r', '-j', jobs.map((j) => j.job).join(','), '-o', '%A %K %T'], {
    encoding: 'utf8',
  });
  if (r.error || r.status !== 0) {
    // squeue refuses ids it no longer knows (finished jobs): then nothing of ours is queued
    if (!r.error && /Invalid job id/i.test(r.stderr)) return states;
    return null;
  }
  for (const line of r.stdout.trim().split('\n')) {
    const [job, task, state] = line.trim().split(/\s+/);
    const K = perTask.get(job ?? '');
    if (!K || !state || !/^\d+$/.test(task ?? '')) continue;
    for (let k = Number(task) * K; k < (Number(task) + 1) * K; k++) states.set(k, state);
  }
  return states;
}

/**
 * Shard → the last line of the log of the latest task that ran it (Slurm writes one log per array task):
 * a shard with a log and no marker was started and did not finish (cancelled, failed, out of time).
 */
export function endedTasks(store: string): Map<number, string> {
  const ended = new Map<number, string>();
  for (const j of readJobs(store)) {
    for (const range of j.tasks.split(',')) {
      const [lo, hi = lo] = range.split('-').map(Number) as [number, number?];
      for (let g = lo; g <= hi!; g++) {
        const log = join(slurmDir(store), 'logs', `${j.job}_${g}.out`);
        if (!existsSync(log)) continue;
        const lines = readFileSync(log, 'utf8').trim().split('\n');
        const last = lines.at(-1)?.trim() || '(empty log)';
        for (let k = g * j.shards_per_task; k < (g + 1) * j.shards_per_task; k++) ended.set(k, last);
      }
    }
  }
  return ended;
}
