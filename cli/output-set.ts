/**
 * Outputs written as one unit. Every file is first written into a temporary folder beside its target; only
 * when all are on disk are they moved into place: a new --out folder is renamed into place in one step, and
 * files replacing older ones are swapped in one by one with the old ones kept aside until every swap
 * succeeded (a failed swap puts back the ones already moved). A failure, or an interrupt, leaves the
 * previous outputs exactly as they were and no temporary file behind.
 */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError } from './errors';
import { whileInterruptible } from './interrupts';
import { nearestExisting, reasonOf } from './output-targets';

/** One output file: where it goes, its bytes, and the flag that named it (for messages). */
export interface OutputFile {
  path: string;
  bytes: Uint8Array;
  what: string;
}

/** A folder the outputs go into, and the temporary folder beside it that receives them first. */
interface Group {
  dir: string;
  temp: string;
  /** The folder does not exist yet: the temporary folder becomes it. */
  fresh: boolean;
  files: OutputFile[];
}

const TEMP_PREFIX = '.rte-out-';

function openGroups(files: readonly OutputFile[], temps: string[]): Group[] {
  const byDir = new Map<string, OutputFile[]>();
  for (const f of files) byDir.set(dirname(f.path), [...(byDir.get(dirname(f.path)) ?? []), f]);
  return [...byDir].map(([dir, list]) => {
    const fresh = !exists(dir);
    const home = fresh ? nearestExisting(dir) : dir;
    const temp = mkdtempSync(join(home, fresh ? `.${basename(dir)}${TEMP_PREFIX}` : TEMP_PREFIX));
    temps.push(temp);
    // it becomes the --out folder: the permissions mkdir would give it, not mkdtemp's private 0700
    if (fresh) chmodSync(temp, 0o777 & ~process.umask());
    return { dir, temp, fresh, files: list };
  });
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The moves done so far, undone in reverse order when a later one fails. */
type Undo = () => void;

/** Move one group's files into place (synchronous: an interrupt cannot land between two moves). */
function commitGroup(g: Group, undo: Undo[]): void {
  if (g.fresh) {
    const firstCreated = mkdirSync(dirname(g.dir), { recursive: true });
    if (firstCreated) undo.push(() => rmSync(firstCreated, { recursive: true, force: true }));
    renameSync(g.temp, g.dir);
    undo.push(() => renameSync(g.dir, g.temp));
    return;
  }
  const aside = join(g.temp, '.previous');
  mkdirSync(aside);
  for (const f of g.files) {
    const name = basename(f.path);
    const kept = join(aside, name);
    if (exists(f.path)) {
      if (lstatSync(f.path).isDirectory())
        throw Object.assign(new Error(`${f.path} is a directory`), { code: 'EISDIR' });
      renameSync(f.path, kept);
      undo.push(() => renameSync(kept, f.path));
      renameSync(join(g.temp, name), f.path);
      undo.push(() => renameSync(f.path, join(g.temp, name)));
    } else {
      renameSync(join(g.temp, name), f.path);
      undo.push(() => unlinkSync(f.path));
    }
  }
}

/**
 * Write every file, all or none; resolves to their paths. `onWritten` is told after each file reaches its
 * temporary folder (progress; tests interrupt there).
 */
export async function writeOutputSet(
  files: readonly OutputFile[],
  opts: { onWritten?: (f: OutputFile) => void } = {},
): Promise<string[]> {
  const temps: string[] = [];
  // an interrupt lands while a write is in flight: the file it creates can make the folder non-empty again
  // between emptying it and removing it, so the removal retries
  const removeTemps = () => {
    for (const t of temps) rmSync(t, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  };
  let writing = files[0]?.what ?? 'the outputs';
  try {
    await whileInterruptible(removeTemps, async () => {
      const groups = openGroups(files, temps);
      for (const g of groups)
        for (const f of g.files) {
          writing = f.what;
          await writeFile(join(g.temp, basename(f.path)), f.bytes);
          opts.onWritten?.(f);
        }
      commitAll(groups);
    });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(
      `${writing}: cannot write the outputs (${reasonOf(e)}); none were written and any previous ones are unchanged`,
    );
  } finally {
    removeTemps();
  }
  return files.map((f) => f.path);
}

/** Every group's moves, or none of them. */
function commitAll(groups: readonly Group[]): void {
  const undo: Undo[] = [];
  try {
    for (const g of groups) commitGroup(g, undo);
  } catch (e) {
    for (const step of undo.reverse()) {
      try {
        step();
      } catch {
        // keep undoing the rest: each step restores a different file
      }
    }
    throw e;
  }
}
