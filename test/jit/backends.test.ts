/** The fallback chain: best first, software GPUs only when asked for, strict means no chain. */
import { describe, expect, it } from 'vitest';
import { chainFor, NO_MODES } from '../../core/jit/backends';

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
});
