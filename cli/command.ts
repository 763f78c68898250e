/** The shape of a CLI command, and the one JSON line each prints on success. */
import type { Tensor } from '../core/index';
import { type Flags, type FlagValues, helpText, parseFlags } from './flags';

export interface Report {
  command: string;
  backend: string;
  dtype: string;
  /** Wall time of the computation itself (not start-up, reading or writing). */
  seconds: number;
  shapes: Record<string, readonly number[]>;
  files: string[];
  [extra: string]: unknown;
}

export interface Command {
  name: string;
  summary: string;
  help(): string;
  /** Parse, validate, compute, write; resolves to the report, or null when only --help was printed. */
  run(argv: string[]): Promise<Report | null>;
}

export function defineCommand<F extends Flags>(def: {
  name: string;
  summary: string;
  flags: F;
  /** Lines printed after the flags in --help. */
  notes?: readonly string[];
  run(values: FlagValues<F>): Report | Promise<Report>;
}): Command {
  const help = () => helpText(def.name, def.summary, def.flags, def.notes);
  return {
    name: def.name,
    summary: def.summary,
    help,
    async run(argv) {
      const values = parseFlags(def.name, argv, def.flags);
      if (values === 'help') {
        process.stdout.write(`${help()}\n`);
        return null;
      }
      return await def.run(values);
    },
  };
}

/** Time a computation in seconds (to the millisecond). */
export function timed<T>(compute: () => T): [T, number] {
  const t0 = performance.now();
  const result = compute();
  return [result, Math.round(performance.now() - t0) / 1000];
}

/** `timed` for an asynchronous computation (a compiled run). */
export async function timedAsync<T>(compute: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const result = await compute();
  return [result, Math.round(performance.now() - t0) / 1000];
}

export const shapesOf = (named: Record<string, Tensor>): Record<string, readonly number[]> =>
  Object.fromEntries(Object.entries(named).map(([k, t]) => [k, [...t.shape]]));
