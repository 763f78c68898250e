/**
 * The CLI's .npy reader: regular files only (a device such as /dev/zero or a FIFO is refused before a byte is
 * read), the header read and checked first — its shape against what the command accepts, its size against
 * the memory budget — and only then the data.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConcreteTensor } from '../core/index';
import { NpyError, type NpyHeader, parseNpy, parseNpyHeader } from '../core/index';
import { formatBytes } from '../core/rte/index';
import { UsageError } from './errors';

/**
 * Where a relative path on the command line points. `npm run` starts scripts in the package root, so under
 * `npm run rte` paths are taken relative to the directory npm was called from (INIT_CWD), as a user expects.
 */
export function userPath(path: string): string {
  const fromNpm = process.env.npm_lifecycle_event === 'rte' ? process.env.INIT_CWD : undefined;
  return resolve(fromNpm ?? process.cwd(), path);
}

function why(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'no permission to read it';
  return code ?? 'unreadable';
}

/** Bytes [at, at + length) of an open file. */
function readAt(fd: number, at: number, length: number): Uint8Array {
  const buf = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, at + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

/**
 * The header from the file's first bytes, or null when core's codec cannot read it there: then the full read
 * reports why. Fortran order passes here so the shape is checked first; the full read refuses it.
 */
function peekNpyHeader(head: Uint8Array): NpyHeader | null {
  try {
    return parseNpyHeader(head, 'header', { acceptFortranOrder: true });
  } catch (e) {
    if (e instanceof NpyError) return null;
    throw e;
  }
}

/** The most header bytes read to find the shape (NumPy writes a few hundred at most). */
const HEADER_PEEK = 64 * 1024;

export interface ReadLimits {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Checks the header's shape and dtype before the data is read (throws UsageError). */
  checkHeader?: (header: NpyHeader) => void;
}

/** Open `--flag path` and run `use` on it: regular files only, the handle closed afterwards. */
function withRegularFile<T>(flag: string, path: string, use: (fd: number, size: number) => T): T {
  const what = `--${flag} ${path}`;
  let fd: number;
  try {
    // non-blocking: opening a FIFO for reading would otherwise wait for a writer
    fd = openSync(userPath(path), constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new UsageError(`${what}: cannot read the .npy file (${why(e)})`);
  }
  try {
    const s = fstatSync(fd);
    if (s.isDirectory()) throw new UsageError(`${what}: cannot read the .npy file (is a directory)`);
    if (!s.isFile())
      throw new UsageError(
        `${what}: is not a regular file (a device, FIFO or socket); give a .npy file saved on disk`,
      );
    return use(fd, s.size);
  } finally {
    closeSync(fd);
  }
}

/** The header of `--flag path` alone (shape and dtype), or null when it is not one we can read: then the full read reports why. */
export function readNpyHeader(flag: string, path: string): NpyHeader | null {
  return withRegularFile(flag, path, (fd) => peekNpyHeader(readAt(fd, 0, HEADER_PEEK)));
}

/** Read a .npy given by `--flag path` within `limits`; errors name both. */
export function readNpyFile(flag: string, path: string, limits: ReadLimits): ConcreteTensor {
  const what = `--${flag} ${path}`;
  return withRegularFile(flag, path, (fd, size) => {
    const header = peekNpyHeader(readAt(fd, 0, Math.min(size, HEADER_PEEK)));
    if (header) limits.checkHeader?.(header);
    if (size > limits.maxBytes)
      throw new UsageError(
        `${what}: the file holds ${formatBytes(size)}, more than the memory budget of ${formatBytes(limits.maxBytes)} (raise it with --max-memory)`,
      );
    if (header && size !== header.dataOffset + header.dataBytes)
      throw new NpyError(
        `${what}: the header declares shape [${header.shape.join(',')}] of ${header.dtype} (${header.dataBytes} bytes of data), but the file holds ${size - header.dataOffset} bytes of data`,
      );
    return parseNpy(readAt(fd, 0, size), what);
  });
}
