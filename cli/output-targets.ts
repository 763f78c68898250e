/**
 * Up-front refusal of output paths that could not be written, before any work is done: the folder must be,
 * or be creatable as, a folder we can create files in (tried for real: as root, permission bits say little,
 * and /proc refuses new files whatever they say), and every output in it must be replaceable — not a
 * directory, not another user's file in a folder with the sticky bit.
 */
import { lstatSync, mkdtempSync, rmdirSync, type Stats, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from './errors';
import { userPath } from './npy-files';

const REASONS: Record<string, string> = {
  EACCES: 'no permission',
  EPERM: 'not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOENT: 'this file system does not allow creating files there',
  EISDIR: 'a directory is in the way',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
  EXDEV: 'the temporary folder is on another file system',
};

/** A file-system error in words, with its code. */
export function reasonOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code) return REASONS[code] ? `${REASONS[code]}, ${code}` : code;
  return e instanceof Error ? e.message : String(e);
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** The path itself or its nearest ancestor that exists (as an entry, even a dangling link). */
export function nearestExisting(path: string): string {
  let at = path;
  while (!lstatOrNull(at) && dirname(at) !== at) at = dirname(at);
  return at;
}

/** Create (and remove) a temporary folder in `dir`: the one sure test that outputs can be written there. */
function probeWritable(dir: string, what: string, where: string): void {
  try {
    rmdirSync(mkdtempSync(join(dir, '.rte-probe-')));
  } catch (e) {
    throw new UsageError(`${what}: cannot create files in ${where} (${reasonOf(e)})`);
  }
}

/**
 * Why `file` (existing) could not be replaced by another file in `folder`, or null. In a folder with the
 * sticky bit only the file's owner, the folder's owner or root may rename over a file.
 */
export function replaceBlocker(folder: Stats, file: Stats, uid: number): string | null {
  if (file.isDirectory()) return 'is a directory';
  const sticky = (folder.mode & 0o1000) !== 0;
  if (sticky && uid !== 0 && file.uid !== uid && folder.uid !== uid)
    return `belongs to another user (uid ${file.uid}) in a folder with the sticky bit, so it cannot be replaced`;
  return null;
}

const currentUid = (): number => process.getuid?.() ?? 0;

/** A folder that exists (following links) or null; refuses what exists but is not a folder. */
function existingFolder(path: string, what: string, label = `${path} `): Stats | null {
  const entry = lstatOrNull(path);
  if (!entry) return null;
  let s: Stats;
  try {
    s = statSync(path);
  } catch (e) {
    throw new UsageError(`${what}: ${label}cannot be used (${reasonOf(e)}; a broken symbolic link?)`);
  }
  if (!s.isDirectory()) throw new UsageError(`${what}: ${label}exists and is not a directory`);
  return s;
}

/** Check that `names` can be written into `dir` (a folder that exists). */
function checkNames(
  dir: string,
  folder: Stats,
  names: readonly string[],
  what: string,
  label = (path: string) => `${path} `,
): void {
  for (const name of names) {
    const file = lstatOrNull(join(dir, name));
    const blocker = file && replaceBlocker(folder, file, currentUid());
    if (blocker)
      throw new UsageError(
        `${what}: ${label(join(dir, name))}${blocker}; the output ${name} cannot go there`,
      );
  }
}

/** --out DIR: a folder (or one that can be created) where every one of `names` can be written. */
export function checkOutputFolder(given: string, names: readonly string[], flag = 'out'): void {
  const what = `--${flag} ${given}`;
  const dir = userPath(given);
  const folder = existingFolder(dir, what, '');
  if (folder) {
    probeWritable(dir, what, dir);
    checkNames(dir, folder, names, what);
    return;
  }
  const ancestor = nearestExisting(dir);
  const s = lstatOrNull(ancestor) && statSafe(ancestor);
  if (!s?.isDirectory()) throw new UsageError(`${what}: cannot be created: ${ancestor} is not a directory`);
  probeWritable(ancestor, what, `${ancestor} to create ${dir}`);
}

function statSafe(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/**
 * A single-file output (`--flag FILE`): its folder must exist and take new files, or be `outDir` (checked
 * with the command's --out), and the file must be replaceable.
 */
export function checkOutputFile(flag: string, given: string, outDir?: string): void {
  const what = `--${flag} ${given}`;
  const target = userPath(given);
  const dir = dirname(target);
  if (outDir !== undefined && dir === userPath(outDir)) {
    const folder = statSafe(dir);
    if (folder?.isDirectory()) checkNames(dir, folder, [basename(target)], what, () => '');
    return;
  }
  const folder = existingFolder(dir, what);
  if (!folder) throw new UsageError(`${what}: its directory ${dir} does not exist`);
  probeWritable(dir, what, dir);
  checkNames(dir, folder, [basename(target)], what, () => '');
}
