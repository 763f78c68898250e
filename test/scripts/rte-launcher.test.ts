/** `npm run rte` runs the CLI from a bundle that is rebuilt whenever a source is newer (scripts/rte.mjs). */
import { spawnSync } from 'node:child_process';
import { statSync, utimesSync } from 'node:fs';
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
    const again = run('solve', '--N', '400');
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/^rte: solve: missing flag --nvx/);
  });
});
