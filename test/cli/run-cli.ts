/** Run the CLI as a subprocess (node with the tsx loader, from the repository root) and read its outputs. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeNpy, parseNpy } from '../../core/io/npy';
import type { ConcreteTensor, Tensor } from '../../core/tensor/tensor';
import { referenceDir } from '../helpers/reference';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[]): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'cli/rte.ts', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    // A CLI that hangs (e.g. a GPU runtime holding the process open) fails its test instead of stalling the run.
    timeout: 180_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Run the CLI as `npm run rte` does, from its bundle (scripts/rte.mjs, rebuilt when a source is newer): starts
 * in a fraction of the TypeScript loader's time, for tests that run it many times.
 */
export function runBundled(args: readonly string[]): CliResult {
  const r = spawnSync(process.execPath, ['scripts/rte.mjs', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The one JSON line a successful command prints; throws with stderr when the run failed. */
export function reportOf(r: CliResult): Record<string, any> {
  if (r.code !== 0) throw new Error(`CLI exited ${r.code}: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  if (lines.length !== 1) throw new Error(`expected one stdout line, got ${lines.length}: ${r.stdout}`);
  return JSON.parse(lines[0]!);
}

export const readNpy = (path: string): ConcreteTensor => parseNpy(readFileSync(path), path);

/** A scratch directory per test file, removed by `cleanup`. */
export function scratch(): {
  dir: string;
  file: (name: string) => string;
  write: (name: string, t: Tensor) => string;
  cleanup: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'rte-cli-test-'));
  const file = (name: string) => join(dir, name);
  return {
    dir,
    file,
    write: (name, t) => {
      writeFileSync(file(name), encodeNpy(t));
      return file(name);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Grid flags and reference file paths of the README's small cases. */
export const SMALL = {
  N32_V4: { N: 32, Nvx: 4, CFL: 0.8, tEnd: 0.25, every: 5 },
  N48_V6: { N: 48, Nvx: 6, CFL: 0.8, tEnd: 0.3, every: 4 },
} as const;
export type SmallTag = keyof typeof SMALL;

export const gridFlags = (g: { N: number; Nvx: number; CFL: number; tEnd: number; every: number }) => [
  '--N',
  String(g.N),
  '--nvx',
  String(g.Nvx),
  '--cfl',
  String(g.CFL),
  '--t-end',
  String(g.tEnd),
  '--every',
  String(g.every),
];

export const smallInputs = (tag: SmallTag) => [
  ...gridFlags(SMALL[tag]),
  '--tini',
  join(referenceDir(), `small_${tag}_Tini_f64.npy`),
  '--sigma',
  join(referenceDir(), `small_${tag}_sigma_f64.npy`),
];
