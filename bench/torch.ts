/**
 * The PyTorch peer: runs the seed's torch.func solver script (`../shared/bench/torch_seed.py` next to the
 * repository, or $RTE_TORCH_BENCH) in a child process and reads the one JSON line it prints.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type TorchWhat = 'solve' | 'grad' | 'jacfwd' | 'jacrev';
export type TorchDType = 'float32' | 'float64';

/** What to ask the peer for: the script's WHAT, the batch size and the dtype. */
export interface TorchJob {
  what: TorchWhat;
  B: number;
  dtype: TorchDType;
  N?: number;
  reps?: number;
  /** PyTorch device ('cpu' by default; 'cuda' on a GPU machine). */
  device?: string;
}

export interface TorchTiming {
  median_s: number;
  times_s: number[];
  torch: string;
  threads: number;
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export function torchScript(): string {
  return resolve(process.env.RTE_TORCH_BENCH ?? resolve(repoRoot, '../shared/bench/torch_seed.py'));
}

/** The system Python carries the Debian PyTorch; $RTE_PYTHON overrides. */
export function pythonExe(): string {
  return process.env.RTE_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
}

/** null when the peer can run; otherwise why not, in one sentence. */
export async function torchUnavailable(): Promise<string | null> {
  const script = torchScript();
  if (!existsSync(script)) return `the PyTorch benchmark script is missing (${script}; set RTE_TORCH_BENCH)`;
  try {
    await run(pythonExe(), ['-c', 'import torch'], { timeout: 60_000 });
    return null;
  } catch {
    return `${pythonExe()} cannot import torch (Debian: apt-get install -y python3-torch, or set RTE_PYTHON)`;
  }
}

export function torchArgs(job: TorchJob): string[] {
  const args = [torchScript(), job.what, '--B', String(job.B), '--dtype', job.dtype];
  if (job.N !== undefined) args.push('--N', String(job.N));
  if (job.reps !== undefined) args.push('--reps', String(job.reps));
  if (job.device !== undefined) args.push('--device', job.device);
  return args;
}

/** Run one peer measurement (the script does its own warm-up, then `reps` timed runs). */
export async function runTorch(job: TorchJob): Promise<TorchTiming> {
  const { stdout } = await run(pythonExe(), torchArgs(job), {
    timeout: 30 * 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = stdout.trim().split('\n').pop() ?? '';
  const parsed = JSON.parse(line) as TorchTiming;
  if (typeof parsed.median_s !== 'number') throw new Error(`torch_seed.py printed no median_s: ${line}`);
  return parsed;
}
