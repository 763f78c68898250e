/**
 * 'auto' between a hardware GPU (gpu.js) and core's WebAssembly target: which one is faster for a program at a
 * batch size is measured on this device the first time it is asked — both run, the faster result is kept —
 * and remembered per device, program and batch size (powers of two). A GPU pays a launch and transfer cost that
 * a large batch amortises, so where one size has not been measured the nearest measured sizes decide: a GPU
 * faster at a smaller batch is faster here too, and wasm faster at a larger batch is faster here too.
 * Host-neutral: a store (a file in Node, browser storage) is installed by an adapter; otherwise it lives in memory.
 */

export type Engine = 'gpu' | 'wasm';

/** Where measurements outlive the process: read once, written after each new measurement. */
export interface CrossoverStore {
  read(): string | null;
  write(text: string): void;
}

/** Seconds per run of each engine at one batch size class. */
type Timings = Partial<Record<Engine, number>>;

/** The batch size class of `batch`: the next power of two. */
export const batchClass = (batch: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, batch)));

export class Crossover {
  private data: Record<string, Record<string, Timings>> = {};
  private loaded = false;

  constructor(private readonly store: CrossoverStore | null = null) {}

  /** The faster engine for this program at this batch size, or null when it must be measured. */
  choose(device: string, program: string, batch: number): Engine | null {
    const byClass = this.table()[`${device}\n${program}`];
    if (!byClass) return null;
    const here = batchClass(batch);
    const winners = Object.entries(byClass)
      .filter(([, t]) => t.gpu !== undefined && t.wasm !== undefined)
      .map(([c, t]) => ({ size: Number(c), gpu: t.gpu! < t.wasm! }));
    const exact = winners.find((w) => w.size === here);
    if (exact) return exact.gpu ? 'gpu' : 'wasm';
    if (winners.some((w) => w.gpu && w.size <= here)) return 'gpu';
    if (winners.some((w) => !w.gpu && w.size >= here)) return 'wasm';
    return null;
  }

  /** Remember how long one run took on an engine. */
  record(device: string, program: string, batch: number, engine: Engine, seconds: number): void {
    const key = `${device}\n${program}`;
    const table = this.table();
    const size = String(batchClass(batch));
    table[key] = { ...table[key], [size]: { ...table[key]?.[size], [engine]: seconds } };
    try {
      this.store?.write(JSON.stringify(table));
    } catch {
      // a store that cannot be written (quota, read-only folder) only costs a measurement next time
    }
  }

  private table(): Record<string, Record<string, Timings>> {
    if (!this.loaded) {
      this.loaded = true;
      try {
        const text = this.store?.read();
        const parsed: unknown = text ? JSON.parse(text) : null;
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
          this.data = parsed as Record<string, Record<string, Timings>>;
      } catch {
        this.data = {};
      }
    }
    return this.data;
  }
}

let shared = new Crossover();

/** The measurements every jitted function shares. */
export const crossover = (): Crossover => shared;

/** Keep measurements in `store` from now on (adapters call this once, e.g. with a file in Node). */
export function installCrossoverStore(store: CrossoverStore): void {
  shared = new Crossover(store);
}

/** A short stable name for a program's text (FNV-1a, 32 bits, hex). */
export function programKey(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
