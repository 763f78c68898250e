/** Outputs are written as one unit: all of them or none, the previous set untouched on failure or interrupt. */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/errors';
import { writeOutputSet } from '../../cli/output-set';
import { replaceBlocker } from '../../cli/output-targets';
import { repoRoot, scratch } from './run-cli';

const tmp = scratch();
afterAll(tmp.cleanup);

const bytes = (text: string) => new TextEncoder().encode(text);
const files = (dir: string, names: string[], text = 'NEW') =>
  names.map((name) => ({ path: join(dir, name), bytes: bytes(text), what: `--out ${dir}` }));
const read = (path: string) => readFileSync(path, 'utf8');

describe('writeOutputSet', () => {
  it('creates a new folder in one step, parents included, with no temporary folder left', async () => {
    const dir = join(tmp.dir, 'fresh', 'a', 'b');
    const written = await writeOutputSet(files(dir, ['E.npy', 'T.npy']));
    expect(written).toEqual([join(dir, 'E.npy'), join(dir, 'T.npy')]);
    expect(readdirSync(dir).sort()).toEqual(['E.npy', 'T.npy']);
    expect(readdirSync(join(tmp.dir, 'fresh', 'a'))).toEqual(['b']);
    // the permissions mkdir gives (not the temporary folder's private 0700)
    expect(statSync(dir).mode & 0o777).toBe(0o777 & ~process.umask());
    expect(readdirSync(tmp.dir).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('replaces an older set and leaves other files alone', async () => {
    const dir = join(tmp.dir, 'older');
    mkdirSync(dir);
    writeFileSync(join(dir, 'E.npy'), 'OLD');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    await writeOutputSet(files(dir, ['E.npy', 'T.npy']));
    expect(readdirSync(dir).sort()).toEqual(['E.npy', 'T.npy', 'notes.txt']);
    expect([read(join(dir, 'E.npy')), read(join(dir, 'T.npy')), read(join(dir, 'notes.txt'))]).toEqual([
      'NEW',
      'NEW',
      'mine',
    ]);
  });

  it('puts back what it already moved when a later move fails (issue 17 repro, past the up-front check)', async () => {
    const dir = join(tmp.dir, 'rollback');
    mkdirSync(join(dir, 'T.npy', 'x'), { recursive: true });
    writeFileSync(join(dir, 'E.npy'), 'OLD');
    const attempt = writeOutputSet(files(dir, ['E.npy', 'T.npy']));
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(writeOutputSet(files(dir, ['E.npy', 'T.npy']))).rejects.toThrow(
      /^--out .*rollback: cannot write the outputs \(a directory is in the way, EISDIR\); none were written/,
    );
    expect(read(join(dir, 'E.npy'))).toBe('OLD');
    expect(readdirSync(dir).sort()).toEqual(['E.npy', 'T.npy']);
    expect(readdirSync(join(dir, 'T.npy'))).toEqual(['x']);
  });

  it('rolls back across folders: an extra file that fails undoes the new --out folder', async () => {
    const out = join(tmp.dir, 'across');
    const other = join(tmp.dir, 'other');
    mkdirSync(join(other, 'p.mtx'), { recursive: true });
    const set = [
      ...files(out, ['E.npy']),
      { path: join(other, 'p.mtx'), bytes: bytes('P'), what: '--pattern-out' },
    ];
    await expect(writeOutputSet(set)).rejects.toThrow(/^--pattern-out: cannot write the outputs/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(other)).toEqual(['p.mtx']);
    expect(readdirSync(tmp.dir).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'])(
    'an interrupt (%s) while the files are written removes them and keeps the previous set',
    (signal) => {
      const dir = join(tmp.dir, `interrupted-${signal}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'E.npy'), 'OLD');
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'test/cli/fixtures/interrupted-write.ts', dir, signal],
        { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 },
      );
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`rte: interrupted by ${signal} while writing the outputs; none were written\n`);
      expect(r.status).toBe(128 + { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal]!);
      expect(readdirSync(dir)).toEqual(['E.npy']);
      expect(read(join(dir, 'E.npy'))).toBe('OLD');
    },
  );
});

describe('replaceBlocker', () => {
  const stats = (s: { dir?: boolean; mode?: number; uid: number }) =>
    ({ isDirectory: () => s.dir === true, mode: s.mode ?? 0o40755, uid: s.uid }) as unknown as Stats;
  const sticky = stats({ dir: true, mode: 0o41777, uid: 0 });

  it("refuses another user's file in a sticky folder, and a directory anywhere", () => {
    expect(replaceBlocker(sticky, stats({ uid: 1001 }), 1000)).toMatch(
      /^belongs to another user \(uid 1001\) in a folder with the sticky bit/,
    );
    expect(replaceBlocker(sticky, stats({ uid: 1000 }), 1000)).toBeNull();
    expect(
      replaceBlocker(stats({ dir: true, mode: 0o41777, uid: 1000 }), stats({ uid: 1001 }), 1000),
    ).toBeNull();
    expect(replaceBlocker(sticky, stats({ uid: 1001 }), 0)).toBeNull();
    expect(replaceBlocker(stats({ dir: true, uid: 0 }), stats({ uid: 1001 }), 1000)).toBeNull();
    expect(replaceBlocker(sticky, stats({ dir: true, uid: 1000 }), 1000)).toBe('is a directory');
  });

  it('reads the sticky bit of a real folder', () => {
    expect(statSync('/tmp').mode & 0o1000).toBe(0o1000);
  });
});
