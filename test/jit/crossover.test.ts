/** 'auto' between a hardware GPU and wasm: the decision rule from measured times, and where it is kept. */
import { describe, expect, it } from 'vitest';
import { batchClass, Crossover, type CrossoverStore, programKey } from '../../core/jit/crossover';

const memory = (): CrossoverStore & { text: string | null } => {
  const s = {
    text: null as string | null,
    read: () => s.text,
    write: (t: string) => {
      s.text = t;
    },
  };
  return s;
};

describe('the GPU / wasm crossover', () => {
  it('is unknown until both engines ran at a size, then the faster one wins', () => {
    const c = new Crossover();
    expect(c.choose('gpu0', 'p', 256)).toBeNull();
    c.record('gpu0', 'p', 256, 'gpu', 0.02);
    expect(c.choose('gpu0', 'p', 256)).toBeNull();
    c.record('gpu0', 'p', 256, 'wasm', 0.05);
    expect(c.choose('gpu0', 'p', 256)).toBe('gpu');
    expect(c.choose('gpu0', 'p', 200)).toBe('gpu'); // the same power-of-two class
    expect(c.choose('gpu1', 'p', 256)).toBeNull(); // another device
    expect(c.choose('gpu0', 'q', 256)).toBeNull(); // another program
  });

  it('infers unmeasured sizes from the crossover: GPU above a GPU win, wasm below a wasm win', () => {
    const c = new Crossover();
    c.record('d', 'p', 4, 'gpu', 0.01);
    c.record('d', 'p', 4, 'wasm', 0.002);
    c.record('d', 'p', 1024, 'gpu', 0.05);
    c.record('d', 'p', 1024, 'wasm', 0.6);
    expect(c.choose('d', 'p', 2)).toBe('wasm');
    expect(c.choose('d', 'p', 4096)).toBe('gpu');
    // between the wasm win (4) and the GPU win (1024) the crossover is somewhere: measured when asked
    expect(c.choose('d', 'p', 64)).toBeNull();
    expect(batchClass(3)).toBe(4);
    expect(batchClass(1)).toBe(1);
  });

  it('survives a restart through its store, and a broken store only costs a new measurement', () => {
    const store = memory();
    new Crossover(store).record('d', 'p', 8, 'gpu', 1);
    new Crossover(store).record('d', 'p', 8, 'wasm', 2);
    expect(new Crossover(store).choose('d', 'p', 8)).toBe('gpu');
    store.text = '{not json';
    expect(new Crossover(store).choose('d', 'p', 8)).toBeNull();
    const unwritable: CrossoverStore = {
      read: () => null,
      write: () => {
        throw new Error('quota');
      },
    };
    const c = new Crossover(unwritable);
    c.record('d', 'p', 8, 'gpu', 1);
    c.record('d', 'p', 8, 'wasm', 2);
    expect(c.choose('d', 'p', 8)).toBe('gpu');
  });

  it('names programs by a stable hash of their text', () => {
    expect(programKey('{ lambda a . in ( a ) }')).toBe(programKey('{ lambda a . in ( a ) }'));
    expect(programKey('a')).not.toBe(programKey('b'));
    expect(programKey('')).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('the Node file store', () => {
  it('writes the measurements whole and reads them back in a new process’s crossover', async () => {
    const { mkdtempSync, readdirSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { installNodeCrossoverStore } = await import('../../core/jit/node-crossover');
    const { crossover } = await import('../../core/jit/crossover');
    const dir = mkdtempSync(join(tmpdir(), 'rte-crossover-'));
    try {
      const file = join(dir, 'nested', 'gpu-crossover.json');
      installNodeCrossoverStore(file);
      crossover().record('d', 'p', 16, 'gpu', 3);
      crossover().record('d', 'p', 16, 'wasm', 1);
      expect(readdirSync(join(dir, 'nested'))).toEqual(['gpu-crossover.json']);
      installNodeCrossoverStore(file);
      expect(crossover().choose('d', 'p', 16)).toBe('wasm');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
