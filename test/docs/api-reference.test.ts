/**
 * The API reference builds without a warning: typedoc.json turns on validation (every export of core/index.ts
 * documented, every {@link} and every relative link of docs/core.md resolved) and treats warnings as errors.
 * `--emit none` checks without writing docs/api/ (`npm run docs` writes it).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('API reference (TypeDoc)', () => {
  it('has no undocumented export of core/index.ts and no broken link', () => {
    const run = spawnSync(
      process.execPath,
      [join(root, 'node_modules/typedoc/bin/typedoc'), '--emit', 'none'],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      },
    );
    const report = `${run.stdout}\n${run.stderr}`;
    expect(report).not.toMatch(/\[(warning|error)\]/);
    expect(run.status, report).toBe(0);
  }, 240_000);
});
