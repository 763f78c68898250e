/** Running `rte sweep` as users do (the bundled CLI, whose worker threads start from the same bundle). */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../run-cli';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run the CLI and wait for it without blocking this process (a long spawnSync would stall the test runner's
 * own messages); a run past `timeout` is killed.
 */
export function rte(args: readonly string[], timeout = 180_000): Promise<Run> {
  const child = rteAsync(args);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
  return child.done.finally(() => clearTimeout(timer));
}

export function rteAsync(args: readonly string[]): ChildProcess & { done: Promise<Run> } {
  const child = spawn(process.execPath, ['scripts/rte.mjs', ...args], { cwd: repoRoot });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return Object.assign(child, { done });
}

export const writeSpec = (path: string, spec: unknown) => {
  writeFileSync(path, JSON.stringify(spec, null, 2));
  return path;
};

export const doneCount = (store: string) => {
  const dir = join(store, '.sweep', 'done');
  return existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.json')).length : 0;
};

export async function waitFor(check: () => boolean, ms = 120_000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Every file of a store (path → bytes), markers excepted (they hold times and hosts). */
export function storeFiles(store: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else files.set(relative(store, p), readFileSync(p));
    }
  };
  walk(store);
  for (const k of [...files.keys()]) if (k.startsWith('.sweep/')) files.delete(k);
  return files;
}

/** Path → mtime of every file under a directory: to show a refused command left it untouched. */
export function snapshot(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = statSync(p).mtimeMs;
    }
  };
  walk(dir);
  return out;
}

const PYTHON = '/usr/bin/python3';
export const hasPythonZarr = (): boolean =>
  spawnSync(PYTHON, ['-c', 'import zarr'], { encoding: 'utf8' }).status === 0;

export const hasPythonXarray = (): boolean =>
  spawnSync(PYTHON, ['-c', 'import xarray'], { encoding: 'utf8' }).status === 0;

/** Open the store with xarray (Debian's python3-xarray) as `ds` and return what the script prints as JSON. */
export function pythonXarray(store: string, body: string): any {
  const script = `import json, sys, xarray\nds = xarray.open_zarr(sys.argv[1], consolidated=False)\n${body}`;
  const r = spawnSync(PYTHON, ['-c', script, store], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 (xarray) failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Open the store with Debian's python3-zarr and return what the script prints as JSON. */
export function python(store: string, body: string): any {
  const script = `import json, sys, zarr\ng = zarr.open_group(sys.argv[1], mode="r")\n${body}`;
  const r = spawnSync(PYTHON, ['-c', script, store], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** A small sweep with every kind of output the workbench's store browser shows: 6 cases in 2 shards. */
export const browsableSpec = (extra: Record<string, unknown> = {}) => ({
  grid: { N: 16, Nvx: 4, CFL: 0.8, t_end: 0.2, every: 2 },
  Tini: '1 + a * sin(2*pi*x)',
  sigma: 's',
  space: { product: { a: [0.1, 0.2], s: [1, 2, 3] } },
  compute: ['solve', { grad: { wrt: 'sigma' } }, { jacobian: { wrt: 'sigma', record: 1, layout: 'sparse' } }],
  shard_size: 4,
  ...extra,
});
