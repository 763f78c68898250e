/**
 * Programs are compiled on the calling thread (the engine's asynchronous compile answers tens of milliseconds
 * later on a busy machine); where the host refuses a synchronous compile (a browser's main thread, for large
 * modules) they are compiled asynchronously instead, with the same results.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rand, sum, type Tensor } from '../../../core/index';
import { jit } from '../../../core/jit/index';
import { relErr } from '../../helpers/reference';

/** The host's WebAssembly (core's TypeScript lib has no DOM types). */
const host = (globalThis as unknown as { WebAssembly: { instantiate: () => unknown; Module: () => unknown } })
  .WebAssembly;
const x = rand([4, 33], { seed: 5, dtype: 'float64' });
const f = (a: Tensor) => a.sin().mul(sum(a, 1, { keepdim: true }));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('wasm programs are instantiated', () => {
  it('on this thread, without the asynchronous compile', async () => {
    const async = vi.spyOn(host, 'instantiate');
    const out = (await jit(f, { backend: 'wasm', strict: true })(x)) as Tensor;
    expect(async).not.toHaveBeenCalled();
    expect(relErr(out, f(x))).toBeLessThan(1e-15);
  });

  it('asynchronously where the host refuses to compile here', async () => {
    vi.spyOn(host, 'Module').mockImplementation(() => {
      throw new RangeError('WebAssembly.Module(): buffer size is larger than the main thread may compile');
    });
    const async = vi.spyOn(host, 'instantiate');
    const out = (await jit(f, { backend: 'wasm', strict: true })(x)) as Tensor;
    expect(async).toHaveBeenCalledTimes(1);
    expect(relErr(out, f(x))).toBeLessThan(1e-15);
  });
});
