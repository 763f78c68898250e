/**
 * Node adapter: keep 'auto''s GPU / wasm measurements (crossover.ts) in a file, so a machine measures each
 * program once, not once per process.
 *
 *   import { installNodeCrossoverStore } from './core/jit/node-crossover';
 *   installNodeCrossoverStore();     // $XDG_CACHE_HOME or ~/.cache, rte-workbench/gpu-crossover.json
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { installCrossoverStore } from './crossover';

export const defaultCrossoverFile = (): string =>
  join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'rte-workbench', 'gpu-crossover.json');

/** Measurements read from and written to `file` (written whole under a temporary name, then renamed). */
export function installNodeCrossoverStore(file = defaultCrossoverFile()): void {
  installCrossoverStore({
    read: () => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return null;
      }
    },
    write: (text) => {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, text);
      renameSync(tmp, file);
    },
  });
}
