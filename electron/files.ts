/**
 * The desktop's file I/O for paths the user picked in a native dialog. Reading opens the path once and checks
 * the open handle (no check-then-open race): regular files only, never more than the size limit. Writing goes
 * to a temporary file in the same folder that is renamed over the target only when complete, so a crash or a
 * full disk mid-write leaves the old file as it was.
 */
import { constants } from 'node:fs';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export class FileRefusedError extends Error {
  override name = 'FileRefusedError';
}

const mib = (n: number) => `${Math.round(n / 1024 ** 2)} MiB`;

/** Read a regular file of at most maxBytes. FIFOs, devices, sockets and folders are refused without blocking. */
export async function readRegularFile(path: string, maxBytes: number): Promise<Uint8Array> {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile())
      throw new FileRefusedError(
        `${basename(path)} is not a regular file (a folder, device or pipe); choose a file`,
      );
    if (info.size > maxBytes)
      throw new FileRefusedError(`${basename(path)} is ${mib(info.size)}, larger than ${mib(maxBytes)}`);
    // read at most one byte past the limit, so a file that grows while it is read is still refused
    const buffer = new Uint8Array(Math.min(info.size, maxBytes) + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled > maxBytes)
        throw new FileRefusedError(`${basename(path)} grew past ${mib(maxBytes)} while being read`);
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/** Replace `path` with `data` as a whole: a temporary file beside it, flushed, then renamed over it. */
export async function writeFileReplacing(path: string, data: Uint8Array): Promise<void> {
  const existing = await stat(path).catch(() => null);
  if (existing && !existing.isFile())
    throw new FileRefusedError(`${basename(path)} exists and is not a regular file; choose another name`);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.partial`);
  // the new file keeps the old one's permissions (a new one gets the usual 0666 less the umask)
  const handle = await open(temp, 'wx', existing ? existing.mode & 0o777 : 0o666);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw e;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(() => {});
    throw e;
  }
}
