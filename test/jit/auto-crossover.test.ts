/**
 * 'auto' with a hardware GPU weighs it against wasm by measurement. Here Dawn's software adapter is presented
 * as hardware (the only change: its flag), so the real gpu.js WebGPU engine and core's wasm both run.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../core/jit/gpujs', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../core/jit/gpujs')>();
  return {
    ...real,
    availableModes: async () => ({
      ...(await real.availableModes()),
      webgpuSoftware: false,
      gpuName: 'adapter under test',
    }),
  };
});

import { rand, type Tensor, vmap } from '../../core/index';
import { type CrossoverStore, installCrossoverStore } from '../../core/jit/crossover';
import { jit } from '../../core/jit/index';
import { relErr } from '../helpers/reference';
import { webgpu } from './helpers';

const f = vmap((x: Tensor) => x.mul(2).sin().add(x));
const x = rand([64, 100], { seed: 5, dtype: 'float32' });
let stored: string | null = null;
const store: CrossoverStore = {
  read: () => stored,
  write: (t) => {
    stored = t;
  },
};

describe.skipIf(!webgpu.installed)('auto between a hardware GPU and wasm', () => {
  beforeEach(() => {
    stored = null;
    installCrossoverStore(store);
  });

  it('measures both once for a batch size, keeps the faster result, then runs only the faster', async () => {
    const g = jit(f);
    const out = (await g(x)) as Tensor;
    expect(relErr(out, f(x) as Tensor)).toBeLessThan(1e-6);
    const table = JSON.parse(stored!) as Record<string, Record<string, { gpu: number; wasm: number }>>;
    const [key, byClass] = Object.entries(table)[0]!;
    expect(key).toMatch(/^webgpu:adapter under test\n[0-9a-f]{8}$/);
    const t = byClass['64']!;
    expect(t.gpu).toBeGreaterThan(0);
    expect(t.wasm).toBeGreaterThan(0);
    const faster = t.gpu <= t.wasm ? 'webgpu' : 'wasm';
    expect(g.lastRun!.backend).toBe(faster);
    const before = stored;
    await g(x);
    expect(g.lastRun!.backend).toBe(faster);
    expect(stored).toBe(before); // nothing measured again
  });

  it('follows what the store already knows for this device, program and size', async () => {
    await jit(f)(x);
    const table = JSON.parse(stored!) as Record<string, Record<string, { gpu: number; wasm: number }>>;
    const key = Object.keys(table)[0]!;
    for (const [gpu, wasm, want] of [
      [1, 2, 'webgpu'],
      [2, 1, 'wasm'],
    ] as const) {
      stored = JSON.stringify({ [key]: { 64: { gpu, wasm } } });
      installCrossoverStore(store);
      const g = jit(f);
      await g(x);
      expect(g.lastRun!.backend).toBe(want);
      expect(JSON.parse(stored!)[key][64]).toEqual({ gpu, wasm });
    }
  });
});
