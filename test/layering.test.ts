/**
 * The layering the README states, checked on every import statement of the source tree (parsed by the
 * TypeScript compiler, dynamic `import()` included):
 * - core/ imports no app code (renderer/, electron/, cli/, bench/, e2e/, test/);
 * - core/ uses no Node- or DOM-specific module or global outside its named adapters;
 * - every consumer (cli/, bench/, renderer/, electron/, e2e/, scripts/) imports core only through its entry
 *   points and named adapters;
 * - bench/ imports nothing from test/, and test/ imports bench/ only in test/bench/ (its own tests);
 * - the workbench's UI (renderer/src outside worker/) imports no core/jit and reaches the solver only through
 *   the worker's typed API (worker/api.ts) and its page-side client (worker/client.ts, pool.ts, cancelled.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');

/** What consumers may import from core. */
const CORE_ENTRY_POINTS = ['core/index.ts', 'core/rte/index.ts', 'core/jit/index.ts'];
/** Named adapters: the only core files that may touch Node or DOM APIs, imported explicitly by consumers. */
const CORE_ADAPTERS = [
  'core/jit/node-threads.ts',
  'core/jit/node-webgpu.ts',
  'core/jit/node-crossover.ts',
  'core/jit/browser-threads.ts',
];
/** Import-free list of backend names, so the worker API can name backends without loading the compiler. */
const CORE_NAME_LISTS = ['core/jit/backend-names.ts'];

const CONSUMERS = ['cli/', 'bench/', 'renderer/', 'electron/', 'e2e/', 'scripts/'];
const APP_CODE = ['renderer/', 'electron/', 'cli/', 'bench/', 'e2e/', 'test/'];
/** Packages that exist only in Node (besides its built-in modules). */
const NODE_ONLY_PACKAGES = ['webgpu'];
/** Globals that exist only in Node or only in a page; reading them through `globalThis.x?` is feature detection. */
const HOST_GLOBALS = [
  'process',
  'require',
  'Buffer',
  '__dirname',
  '__filename',
  'document',
  'window',
  'localStorage',
];
/** The page's side of the worker API: its types, the client, a pool of clients, and the cancellation error. */
const UI_WORKER_FILES = [
  'renderer/src/worker/api.ts',
  'renderer/src/worker/client.ts',
  'renderer/src/worker/pool.ts',
  'renderer/src/worker/cancelled.ts',
];

interface SourceFile {
  /** Repository-relative, with '/' separators. */
  path: string;
  text: string;
}

interface Import {
  specifier: string;
  /** Repository-relative file it resolves to (relative specifiers only). */
  target: string | null;
}

function resolveRelative(from: string, specifier: string, exists: (p: string) => boolean): string {
  const base = normalize(join(dirname(from), specifier)).replaceAll('\\', '/');
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`])
    if (exists(candidate)) return candidate;
  return base;
}

function importsOf(file: SourceFile, exists: (p: string) => boolean): Import[] {
  const info = ts.preProcessFile(file.text, true, true);
  return info.importedFiles.map(({ fileName }) => ({
    specifier: fileName,
    target: fileName.startsWith('.') ? resolveRelative(file.path, fileName, exists) : null,
  }));
}

/** Free references to host-specific globals (property names such as `g.document` are not references). */
function hostGlobalsOf(file: SourceFile): string[] {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true);
  const found = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && HOST_GLOBALS.includes(node.text)) {
      const p = node.parent;
      const isMemberName =
        (ts.isPropertyAccessExpression(p) && p.name === node) ||
        (ts.isPropertyAssignment(p) && p.name === node) ||
        (ts.isPropertySignature(p) && p.name === node) ||
        ts.isQualifiedName(p);
      if (!isMemberName) found.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...found];
}

const isNodeModule = (specifier: string) =>
  specifier.startsWith('node:') ||
  builtinModules.includes(specifier.split('/')[0] ?? '') ||
  NODE_ONLY_PACKAGES.includes(specifier);

/** Every broken rule, as 'file: what it imports (why not)'. */
function layeringViolations(files: readonly SourceFile[], exists: (p: string) => boolean): string[] {
  const out: string[] = [];
  for (const file of files) {
    const inCore = file.path.startsWith('core/');
    const adapter = CORE_ADAPTERS.includes(file.path);
    const consumer = CONSUMERS.some((c) => file.path.startsWith(c));
    const ui = file.path.startsWith('renderer/src/') && !file.path.startsWith('renderer/src/worker/');
    for (const { specifier, target } of importsOf(file, exists)) {
      const say = (why: string) => out.push(`${file.path}: imports '${specifier}' (${why})`);
      if (inCore && target && APP_CODE.some((a) => target.startsWith(a))) say('core imports no app code');
      if (inCore && !adapter && isNodeModule(specifier))
        say(`Node-specific: only the named adapters ${CORE_ADAPTERS.join(', ')} may`);
      if (consumer && target?.startsWith('core/')) {
        const allowed = [...CORE_ENTRY_POINTS, ...CORE_ADAPTERS, ...CORE_NAME_LISTS];
        if (!allowed.includes(target)) say(`consumers use core's entry points: ${allowed.join(', ')}`);
        if (ui && target.startsWith('core/jit/'))
          say('the UI reaches the compiler only through the worker API (renderer/src/worker/api.ts)');
      }
      if (file.path.startsWith('bench/') && target?.startsWith('test/'))
        say('bench/ imports nothing from test/ (what both need lives in scripts/)');
      if (
        file.path.startsWith('test/') &&
        !file.path.startsWith('test/bench/') &&
        target?.startsWith('bench/')
      )
        say('only the benchmark’s own tests (test/bench/) import bench/');
      if (ui && target?.startsWith('renderer/src/worker/') && !UI_WORKER_FILES.includes(target))
        say(`the UI talks to the solver through ${UI_WORKER_FILES.join(' and ')} only`);
    }
    if (inCore && !adapter)
      for (const name of hostGlobalsOf(file))
        out.push(`${file.path}: uses the global '${name}' (host-specific: only the named adapters may)`);
  }
  return out;
}

const SOURCE_DIRS = ['core', 'cli', 'bench', 'renderer/src', 'electron', 'e2e', 'scripts', 'test'];

function sourceFiles(): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(ROOT, dir))) {
      const path = `${dir}/${name}`;
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (/\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts'))
        files.push({ path, text: readFileSync(join(ROOT, path), 'utf8') });
    }
  };
  for (const dir of SOURCE_DIRS) walk(dir);
  return files;
}

const onDisk = (p: string) => existsSync(join(ROOT, p)) && statSync(join(ROOT, p)).isFile();

describe('layering', () => {
  it('the source tree keeps the layering the README states', () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(100);
    expect(layeringViolations(files, onDisk)).toEqual([]);
    // every adapter and entry point named here exists (a renamed file would make a rule vacuous)
    for (const p of [...CORE_ENTRY_POINTS, ...CORE_ADAPTERS, ...CORE_NAME_LISTS, ...UI_WORKER_FILES])
      expect(onDisk(p), p).toBe(true);
  });

  it('reports each kind of forbidden import, and static, dynamic and type-only imports alike', () => {
    const bad: SourceFile[] = [
      { path: 'core/ops/x.ts', text: "import { App } from '../../renderer/src/App';" },
      { path: 'core/ops/y.ts', text: "const fs = await import('node:fs');" },
      { path: 'core/ops/z.ts', text: 'export function f() { return process.env.HOME ?? document.title; }' },
      { path: 'cli/a.ts', text: "import type { Tensor } from '../core/tensor/tensor';" },
      { path: 'renderer/src/panels/P.tsx', text: "import { jit } from '../../../core/jit/index';" },
      { path: 'renderer/src/panels/Q.tsx', text: "import { solveCases } from '../worker/compute/solve';" },
      { path: 'bench/c.ts', text: "import { relErr } from '../test/helpers/reference';" },
      { path: 'test/jit/d.ts', text: "import { median } from '../../bench/stats';" },
    ];
    const exists = (p: string) => !p.endsWith('/index') && /\.(ts|tsx)$/.test(p);
    const found = layeringViolations(bad, exists);
    expect(found).toEqual([
      expect.stringMatching(/^core\/ops\/x\.ts: .*core imports no app code/),
      expect.stringMatching(/^core\/ops\/y\.ts: imports 'node:fs' \(Node-specific/),
      expect.stringMatching(/^core\/ops\/z\.ts: uses the global 'process'/),
      expect.stringMatching(/^core\/ops\/z\.ts: uses the global 'document'/),
      expect.stringMatching(/^cli\/a\.ts: .*core's entry points/),
      expect.stringMatching(/^renderer\/src\/panels\/P\.tsx: .*only through the worker API/),
      expect.stringMatching(/^renderer\/src\/panels\/Q\.tsx: .*through renderer\/src\/worker\/api\.ts/),
      expect.stringMatching(/^bench\/c\.ts: .*bench\/ imports nothing from test\//),
      expect.stringMatching(/^test\/jit\/d\.ts: .*only the benchmark’s own tests/),
    ]);
    // what the rules allow: feature detection through globalThis, adapters, entry points
    const fine: SourceFile[] = [
      { path: 'core/jit/g.ts', text: 'const d = (globalThis as any).document?.createElement;' },
      { path: 'core/jit/node-threads.ts', text: "import { Worker } from 'node:worker_threads';" },
      { path: 'cli/b.ts', text: "import { tensor } from '../core/index';" },
      { path: 'test/bench/e.test.ts', text: "import { median } from '../../bench/stats';" },
    ];
    expect(layeringViolations(fine, exists)).toEqual([]);
  });
});
