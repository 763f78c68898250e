/** `npm run rte` runs the CLI from a bundle that is rebuilt whenever a source is newer (scripts/rte.mjs). */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const run = (...args: string[]) =>
  spawnSync(process.execPath, ['scripts/rte.mjs', ...args], { encoding: 'utf8' });

describe('rte launcher', () => {
  it('rebuilds a bundle older than the sources, then runs the CLI from it', () => {
    run('--help'); // make sure a bundle exists
    const past = new Date(Date.UTC(2000, 0, 1));
    utimesSync('dist/cli/rte.mjs', past, past);
    const before = Date.now();
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/solve/);
    expect(statSync('dist/cli/rte.mjs').mtimeMs).toBeGreaterThanOrEqual(before - 1000);
    // mathjs is in the bundle (the formula parser's part of it), not loaded whole from node_modules at start
    const bundle = readFileSync('dist/cli/rte.mjs', 'utf8');
    expect(bundle).not.toMatch(/from ["']mathjs/);
    expect(bundle).toMatch(/parseDependencies/);
    // no package is resolved from node_modules at start: only Node's own modules, and the GPU engines on demand
    expect(bundle.match(/^import\b[^;]*?from ["'][^"']+["']/gm)?.filter((l) => !/["']node:/.test(l))).toEqual(
      [],
    );
    expect([...bundle.matchAll(/\bimport\(["']([^"']+)["']\)/g)].map((m) => m[1]).sort()).toEqual([
      'gpu.js',
      'webgpu',
    ]);
    // V8's code for it is cached beside it where Node has a compile cache
    if (typeof module.enableCompileCache === 'function')
      expect(readdirSync('dist/cli/.compile-cache').length).toBeGreaterThan(0);
    // the grid is checked before the output folder is touched
    const again = run('solve', '--N', '400', '--out', join(tmpdir(), `rte-never-${process.pid}`, 'o'));
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/^rte: solve: missing flag --nvx .*or --preset seed/);
  });

  it('rebuilds a bundle older than the lock file (the mathjs it holds) though newer than every source', () => {
    run('--help');
    // the bundle 5 s old, so newer than every source of a checkout; the lock file a minute ahead
    const earlier = new Date(Date.now() - 5000);
    utimesSync('dist/cli/rte.mjs', earlier, earlier);
    const lock = statSync('package-lock.json');
    utimesSync('package-lock.json', lock.atime, new Date(Date.now() + 60_000));
    try {
      const before = Date.now();
      expect(run('--help').status).toBe(0);
      expect(statSync('dist/cli/rte.mjs').mtimeMs).toBeGreaterThanOrEqual(before - 1000);
    } finally {
      utimesSync('package-lock.json', lock.atime, lock.mtime);
      run('--help'); // as it was for the other tests
    }
  });
});

const asNobody = (...args: string[]) =>
  spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...args], {
    encoding: 'utf8',
  });
const nobodyCanRun =
  process.getuid?.() === 0 && asNobody('-e', "require('fs').accessSync('scripts/rte.mjs')").status === 0;

describe('rte launcher, bundle not writable', () => {
  it.skipIf(!nobodyCanRun)('a bundle it cannot write is one line and exit 2, not a stack trace', () => {
    run('--help');
    const past = new Date(Date.UTC(2000, 0, 1));
    utimesSync('dist/cli/rte.mjs', past, past);
    const r = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, 'scripts/rte.mjs', '--help'],
      { encoding: 'utf8' },
    );
    run('--help'); // rebuilt as ourselves for the other tests
    if (r.error || /EACCES.*scripts\/rte\.mjs|Cannot find module/.test(r.stderr)) return; // checkout unreadable to nobody
    expect(r.stderr).toMatch(/^rte: cannot build the CLI bundle .*rte\.mjs: .*permission denied\n$/i);
    expect(r.status).toBe(2);
  });
});
