/** The CLI's file-system adapter: read .npy inputs, write every output at once or not at all. */
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { encodeNpy, parseNpy } from '../core/io/npy';
import type { ConcreteTensor, Tensor } from '../core/tensor/tensor';
import { UsageError } from './errors';

/**
 * Where a relative path on the command line points. `npm run` starts scripts in the package root, so under
 * `npm run rte` paths are taken relative to the directory npm was called from (INIT_CWD), as a user expects.
 */
export function userPath(path: string): string {
  const fromNpm = process.env.npm_lifecycle_event === 'rte' ? process.env.INIT_CWD : undefined;
  return resolve(fromNpm ?? process.cwd(), path);
}

/** Read a .npy given by `--flag path`; errors name both. */
export function readNpyFile(flag: string, path: string): ConcreteTensor {
  const what = `--${flag} ${path}`;
  let bytes: Buffer;
  try {
    bytes = readFileSync(userPath(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
    throw new UsageError(`${what}: cannot read the .npy file (${why})`);
  }
  return parseNpy(bytes, what);
}

/**
 * Refuse an --out that cannot become a writable directory before any work is done: it, or its nearest
 * existing ancestor, must be a directory we may write to.
 */
export function checkOutDir(dir: string): void {
  const target = userPath(dir);
  let at = target;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  const where = at === target ? '' : ` (its ancestor ${at})`;
  if (!statSync(at).isDirectory())
    throw new UsageError(
      `--out ${dir}: ${where ? `cannot be created: ${at}` : 'exists and'} is not a directory`,
    );
  try {
    accessSync(at, constants.W_OK);
  } catch {
    throw new UsageError(`--out ${dir}: no permission to write${where}`);
  }
}

/**
 * Refuse a single-file output (`--flag path`) that could not be written, before any work is done: it must
 * not be a directory, and the directory it goes into must exist and be writable, or be `outDir` (the
 * command's --out, checked by checkOutDir and created when the outputs are written).
 */
export function checkOutFile(flag: string, path: string, outDir?: string): void {
  const target = userPath(path);
  const what = `--${flag} ${path}`;
  if (existsSync(target) && statSync(target).isDirectory()) throw new UsageError(`${what}: is a directory`);
  const parent = dirname(target);
  if (outDir !== undefined && parent === userPath(outDir)) return;
  if (!existsSync(parent)) throw new UsageError(`${what}: its directory ${parent} does not exist`);
  if (!statSync(parent).isDirectory()) throw new UsageError(`${what}: ${parent} is not a directory`);
  try {
    accessSync(parent, constants.W_OK);
  } catch {
    throw new UsageError(`${what}: no permission to write in ${parent}`);
  }
}

/** One more output outside --out (e.g. `--pattern-out FILE.mtx`), already encoded. */
export interface ExtraOutput {
  /** The flag that named it, for error messages. */
  flag: string;
  path: string;
  bytes: Uint8Array;
}

/**
 * Write `files` (name → tensor) into `dir`, and any `extra` files at their own paths. Everything is encoded
 * first, then written under temporary names and renamed only once every file is on disk, so a failure leaves
 * none of the outputs behind.
 */
export function writeOutputs(
  dir: string,
  files: Record<string, Tensor>,
  extra: readonly ExtraOutput[] = [],
): string[] {
  const target = userPath(dir);
  const encoded = [
    ...Object.entries(files).map(([name, t]) => ({
      path: join(target, name),
      bytes: encodeNpy(t),
      what: `--out ${dir}`,
    })),
    ...extra.map((e) => ({ path: userPath(e.path), bytes: e.bytes, what: `--${e.flag} ${e.path}` })),
  ];
  const temps: string[] = [];
  let writing = `--out ${dir}`;
  try {
    mkdirSync(target, { recursive: true });
    for (const { path, bytes, what } of encoded) {
      writing = what;
      const temp = `${path}.${process.pid}.partial`;
      temps.push(temp);
      writeFileSync(temp, bytes);
    }
  } catch (e) {
    for (const t of temps) if (existsSync(t)) unlinkSync(t);
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new UsageError(`${writing}: cannot write the outputs (${code}); none were written`);
  }
  encoded.forEach(({ path }, i) => {
    renameSync(temps[i]!, path);
  });
  return encoded.map((f) => f.path);
}
