/**
 * The Slurm runner: an sbatch array script whose task i computes shard i (`rte sweep task STORE --shard i`),
 * submitted with sbatch; the job ids are kept in the store (`.sweep/slurm/jobs.json`) for `rte sweep status`.
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

export function sbatchScript(store: string, shards: readonly number[], o: SlurmOptions): string {
  const abs = resolve(store);
  const logs = join(slurmDir(abs), 'logs');
  const lines = [
    '#!/bin/bash',
    '#SBATCH --job-name=rte-sweep',
    `#SBATCH --array=${arrayRanges(shards)}${o.arrayMax ? `%${o.arrayMax}` : ''}`,
    '#SBATCH --ntasks=1',
    `#SBATCH --cpus-per-task=${o.cpus}`,
    `#SBATCH --output=${logs}/%A_%a.out`,
    `#SBATCH --chdir=${process.cwd()}`,
    ...(o.partition ? [`#SBATCH --partition=${o.partition}`] : []),
    ...(o.time ? [`#SBATCH --time=${o.time}`] : []),
    ...(o.gpus ? [`#SBATCH --gpus=${o.gpus}`] : []),
    '# each array task computes the shard of its index; a finished shard is skipped, so a resubmit is safe',
    `exec ${selfCommand().map(quote).join(' ')} sweep task ${quote(abs)} --shard "$SLURM_ARRAY_TASK_ID"`,
    '',
  ];
  return lines.join('\n');
}

/** Write the script into the store, submit it, and record the job id. */
export function submit(
  store: string,
  shards: readonly number[],
  o: SlurmOptions,
): { job: string; script: string } {
  const dir = slurmDir(store);
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const script = join(dir, `sweep-${Date.now()}.sbatch`);
  writeFileAtomic(script, Buffer.from(sbatchScript(store, shards, o)));
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
  jobs.push({ job, shards: arrayRanges(shards), script, at: new Date().toISOString() });
  writeFileAtomic(join(dir, 'jobs.json'), Buffer.from(`${JSON.stringify(jobs, null, 2)}\n`));
  return { job, script };
}

export interface JobRecord {
  job: string;
  shards: string;
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
  const r = spawnSync('squeue', ['-h', '-r', '-j', jobs.map((j) => j.job).join(','), '-o', '%K %T'], {
    encoding: 'utf8',
  });
  if (r.error || r.status !== 0) {
    // squeue refuses ids it no longer knows (finished jobs): then nothing of ours is queued
    if (!r.error && /Invalid job id/i.test(r.stderr)) return states;
    return null;
  }
  for (const line of r.stdout.trim().split('\n')) {
    const [task, state] = line.trim().split(/\s+/);
    if (task && state && /^\d+$/.test(task)) states.set(Number(task), state);
  }
  return states;
}
