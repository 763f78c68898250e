/** The desktop's file I/O on real files: regular files only, size checked on the handle, atomic replace. */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileRefusedError, readRegularFile, writeFileReplacing } from '../../electron/files';

/** When set, file handles opened by the code under test fail their writes (a full disk). */
const failing = vi.hoisted(() => ({ writes: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const open = (async (...args: Parameters<typeof fs.open>) => {
    const handle = await fs.open(...args);
    if (failing.writes)
      handle.writeFile = async () => {
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      };
    return handle;
  }) as typeof fs.open;
  return { ...fs, open, default: { ...fs, open } };
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rte-files-'));
});
afterEach(() => {
  failing.writes = false;
  rmSync(dir, { recursive: true, force: true });
});

describe('reading a chosen file', () => {
  it('reads a regular file whole', async () => {
    writeFileSync(join(dir, 's.json'), '{"a": 1}');
    expect(new TextDecoder().decode(await readRegularFile(join(dir, 's.json'), 100))).toBe('{"a": 1}');
  });

  it('refuses a folder, a FIFO (without blocking) and a device', async () => {
    mkdirSync(join(dir, 'folder.json'));
    await expect(readRegularFile(join(dir, 'folder.json'), 100)).rejects.toThrow(/not a regular file/);
    execFileSync('mkfifo', [join(dir, 'pipe.json')]);
    await expect(readRegularFile(join(dir, 'pipe.json'), 100)).rejects.toThrow(FileRefusedError);
    await expect(readRegularFile('/dev/zero', 100)).rejects.toThrow(/zero is not a regular file/);
  });

  it('refuses a file over the limit before reading it', async () => {
    writeFileSync(join(dir, 'big.npy'), new Uint8Array(3 * 1024 ** 2));
    await expect(readRegularFile(join(dir, 'big.npy'), 2 * 1024 ** 2)).rejects.toThrow(
      /big\.npy is 3 MiB, larger than 2 MiB/,
    );
  });
});

describe('saving over a chosen file', () => {
  it('replaces the file whole, keeps its permissions and leaves no temporary file', async () => {
    const target = join(dir, 'E.npy');
    writeFileSync(target, 'OLD');
    chmodSync(target, 0o640);
    await writeFileReplacing(target, new TextEncoder().encode('NEW CONTENT'));
    expect(readFileSync(target, 'utf8')).toBe('NEW CONTENT');
    expect(statSync(target).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['E.npy']);
  });

  it('a failure mid-write leaves the old file as it was and no partial file', async () => {
    const target = join(dir, 'session.rte.json');
    writeFileSync(target, 'OLD');
    failing.writes = true;
    await expect(writeFileReplacing(target, new Uint8Array(10))).rejects.toThrow(/ENOSPC/);
    expect(readFileSync(target, 'utf8')).toBe('OLD');
    expect(readdirSync(dir)).toEqual(['session.rte.json']);
  });

  it('refuses to replace a folder', async () => {
    mkdirSync(join(dir, 'out.csv'));
    await expect(writeFileReplacing(join(dir, 'out.csv'), new Uint8Array(1))).rejects.toThrow(
      /out\.csv exists and is not a regular file/,
    );
  });
});
