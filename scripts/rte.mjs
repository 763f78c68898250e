/**
 * `npm run rte`: the CLI from one bundled file (dist/cli/rte.mjs), rebuilt with esbuild whenever a source under
 * cli/ or core/, this launcher or the lock file is newer. Loading ~100 TypeScript modules through a runtime
 * loader costs about a second at every start; the bundle loads in a fraction of that, so a whole solve runs in
 * well under a second.
 */
import { readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// the parent as the process starts (imports above are Node built-ins, loaded before this line runs): npm killed
// while the CLI is still loading must still be noticed
globalThis[Symbol.for('rte.launchParent')] = process.ppid;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'cli', 'rte.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function builtAt() {
  try {
    return statSync(bundle).mtimeMs;
  } catch {
    return -1;
  }
}

// Packages are bundled too: mathjs's entry point loads the whole library (1.3–1.7 s of every start here) where
// the formula parser needs a part, which esbuild keeps alone (mathjs declares no side effects), and resolving and
// compiling the others (zod, npyjs, mathjs's dependencies) from node_modules at every start cost more than
// reading them in one file. Left out: the GPU engines, imported only when a GPU backend is asked for (gpu.js,
// whose optional `gl` is native, and the `webgpu` binding).
const LOADED_AT_RUN_TIME = /^(gpu\.js|webgpu)(\/|$)/;
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (a) =>
      a.kind !== 'entry-point' && LOADED_AT_RUN_TIME.test(a.path)
        ? { path: a.path, external: true }
        : undefined,
    );
  },
};

// The bundle also depends on how it is built (this file) and on the mathjs it holds (the lock file):
// a change to either rebuilds it, as a changed source does.
const builtFrom = [fileURLToPath(import.meta.url), join(root, 'package-lock.json')].map(
  (p) => statSync(p).mtimeMs,
);
const sources = Math.max(newestSource(join(root, 'cli')), newestSource(join(root, 'core')), ...builtFrom);
if (builtAt() < sources) {
  const { build } = await import('esbuild');
  // written beside the target and renamed, so a concurrent run never loads half a file
  const tmp = `${bundle}.${process.pid}.tmp.mjs`;
  try {
    await build({
      entryPoints: [join(root, 'cli', 'rte.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      plugins: [externalPackages],
      outfile: tmp,
      logLevel: 'silent',
    });
    renameSync(tmp, bundle);
  } catch (e) {
    rmSync(tmp, { force: true });
    // one line and exit 2, as every CLI failure (a read-only checkout, a source that does not compile)
    const first = e?.errors?.[0]?.text ?? e?.message ?? String(e);
    process.stderr.write(`rte: cannot build the CLI bundle ${bundle}: ${first.split('\n')[0]}\n`);
    process.exit(2);
  }
}
// V8's code for the bundle is kept beside it between runs (Node ≥ 22.1; where the folder is not writable, or on
// an older Node, every start compiles it as before)
module.enableCompileCache?.(join(root, 'dist', 'cli', '.compile-cache'));
await import(pathToFileURL(bundle).href);
