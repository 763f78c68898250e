/** The fallback chain: best first, software GPUs only when asked for, strict means no chain. */
import { describe, expect, it } from 'vitest';
import { backendPlan, chainFor, NO_MODES } from '../../core/jit/backends';

const modes = (over: Partial<typeof NO_MODES>) => ({ ...NO_MODES, webasm: true, cpu: true, ...over });

describe('backend chain', () => {
  it('auto takes hardware GPUs first and leaves software ones out', () => {
    expect(chainFor('auto', false, modes({ webgpu: true, webgl2: true }))).toEqual([
      'webgpu',
      'webgl2',
      'webasm',
      'cpu',
      'eager',
    ]);
    expect(
      chainFor(
        'auto',
        false,
        modes({ webgpu: true, webgpuSoftware: true, webgl2: true, webgl2Software: true }),
      ),
    ).toEqual(['webasm', 'cpu', 'eager']);
  });

  it('a forced backend comes first, even a software GPU; its fallbacks follow the hardware-only chain', () => {
    const soft = modes({ webgpu: true, webgpuSoftware: true, webgl2: true, webgl2Software: true });
    expect(chainFor('webgpu', false, soft)).toEqual(['webgpu', 'webasm', 'cpu', 'eager']);
    expect(chainFor('webgl2', false, modes({ webgl2: true }))).toEqual(['webgl2', 'webasm', 'cpu', 'eager']);
    expect(chainFor('cpu', false, soft)).toEqual(['cpu', 'eager']);
  });

  it('core’s wasm comes after hardware GPUs for float32, first for float64 (the one target that keeps it)', () => {
    const ctx = { wasm: true, float64: false };
    expect(chainFor('auto', false, modes({ webgpu: true }), ctx)).toEqual([
      'webgpu',
      'wasm',
      'webasm',
      'cpu',
      'eager',
    ]);
    expect(chainFor('auto', false, modes({ webgpu: true }), { ...ctx, float64: true })).toEqual([
      'wasm',
      'webgpu',
      'webasm',
      'cpu',
      'eager',
    ]);
    expect(chainFor('auto', false, modes({}), { ...ctx, wasm: false })).toEqual(['webasm', 'cpu', 'eager']);
    expect(chainFor('webgpu', false, modes({ webgpu: true }), ctx)).toEqual([
      'webgpu',
      'wasm',
      'webasm',
      'cpu',
      'eager',
    ]);
  });

  it('strict runs the requested backend only', () => {
    expect(chainFor('webasm', true, modes({}))).toEqual(['webasm']);
  });

  it('probes gpu.js only when the chain reaches a backend whose place depends on it', async () => {
    const walk = async (requested: Parameters<typeof chainFor>[0], float64: boolean, stopAt: number) => {
      let probes = 0;
      const probe = async () => {
        probes++;
        return modes({ webgpu: true });
      };
      const seen: string[] = [];
      for await (const { backend } of backendPlan(requested, false, probe, { wasm: true, float64 })) {
        seen.push(backend);
        if (seen.length === stopAt) break;
      }
      return { seen, probes };
    };
    // float64 and forced wasm start on wasm whatever gpu.js offers: no probe while wasm runs
    expect(await walk('auto', true, 1)).toEqual({ seen: ['wasm'], probes: 0 });
    expect(await walk('wasm', false, 1)).toEqual({ seen: ['wasm'], probes: 0 });
    // after wasm fails, the rest of the chain is planned with the probe's answer
    expect(await walk('auto', true, 9)).toEqual({
      seen: ['wasm', 'webgpu', 'webasm', 'cpu', 'eager'],
      probes: 1,
    });
    // float32 auto depends on a hardware GPU: probed before the first backend
    expect(await walk('auto', false, 1)).toEqual({ seen: ['webgpu'], probes: 1 });
  });
});
