/**
 * Batches too big for one device buffer: jit(vmap(f)) splits the batch into chunks that fit, runs each, and
 * joins the results along the outputs' batch dims; anything else is refused with the sizes named.
 * `maxBufferBytes` stands in for a device limit, so the split is exercised on small problems.
 */
import { describe, expect, it } from 'vitest';
import { cast, rand, vmap } from '../../core/index';
import { jit } from '../../core/jit/index';
import { SEED_SPEC, solve } from '../../core/rte/index';
import type { Tensor } from '../../core/tensor/tensor';
import { loadReference, relErr } from '../helpers/reference';
import { TOL_F32 } from './reference-cases';

const Tini = loadReference('seed_Tini_f32');
const sigma = loadReference('seed_sigma_f32');
const solveAll = vmap((t: Tensor, s: Tensor) => {
  const r = solve(SEED_SPEC, t, s);
  return { E: r.E, T: r.T };
});
// The largest device array of one case is an output, E or T [R, N]: 50 · 400 floats = 80,000 bytes.
const ONE_CASE = 50 * 400 * 4;
/** jit on webasm, no fallback, with a buffer limit of `cases` seed cases (none: the device's own). */
const onWebasm = <F extends (...args: any[]) => any>(f: F, cases?: number) =>
  jit(f, {
    backend: 'webasm',
    strict: true,
    threads: false,
    ...(cases === undefined ? {} : { maxBufferBytes: ONE_CASE * cases }),
  });

describe('batches too big for one buffer', () => {
  it('jit(vmap(solve)) runs the seed batch in chunks that fit, with the same result', async () => {
    const whole = onWebasm(solveAll);
    const split = onWebasm(solveAll, 2);
    const a = await whole(Tini, sigma);
    const b = await split(Tini, sigma);
    expect(whole.lastRun!.chunks).toBe(1);
    expect(split.lastRun!.chunks).toBe(2);
    expect(split.lastRun!.backend).toBe('webasm');
    expect(b.E.shape).toEqual([4, 50, 400]);
    expect(relErr(b.E, a.E)).toBe(0);
    expect(relErr(b.T, a.T)).toBe(0);
    expect(relErr(b.E, loadReference('seed_E_f32'))).toBeLessThan(TOL_F32);
    // an odd limit: chunks of 3 and 1 cases (two compiled signatures)
    const odd = onWebasm(solveAll, 3);
    const c = await odd(Tini, sigma);
    expect(odd.lastRun!.chunks).toBe(2);
    expect(relErr(c.T, a.T)).toBe(0);
  });

  it('splits along each argument’s inDims and joins along each output’s outDims', async () => {
    const x = rand([6, 5, 3], { seed: 3 });
    const w = rand([3], { seed: 4 });
    const f = vmap((a: Tensor, v: Tensor) => [a.mul(v).sin(), a.sum()], {
      inDims: [1, null],
      outDims: [1, 0],
    });
    const g = jit(f, { backend: 'webasm', strict: true, threads: false, maxBufferBytes: 6 * 3 * 4 * 2 });
    const [p, q] = (await g(cast(x, 'float32'), cast(w, 'float32'))) as Tensor[];
    const [wp, wq] = f(x, w) as Tensor[];
    expect(g.lastRun!.chunks).toBeGreaterThan(1);
    expect(p!.shape).toEqual([6, 5, 3]);
    expect(q!.shape).toEqual([5]);
    expect(relErr(p!, wp!)).toBeLessThan(1e-6);
    expect(relErr(q!, wq!)).toBeLessThan(1e-6);
  });

  it('a function not made by vmap is not split: the backend is skipped with the sizes named', async () => {
    const messages: string[] = [];
    const f = (a: Tensor) => a.mul(2);
    const g = jit(f, {
      backend: 'webasm',
      threads: false,
      maxBufferBytes: 64,
      onFallback: (m) => messages.push(m),
    });
    const x = rand([100]);
    const r = await g(x);
    expect(relErr(r, x.mul(2))).toBe(0);
    expect(g.lastRun!.backend).toBe('eager');
    expect(messages[0]).toMatch(
      /backend 'webasm' was not used: this program needs a 0\.4 KiB buffer, and webasm allows 0\.1 KiB per buffer \(jit splits the batch only of functions made by vmap\)/,
    );
  });

  it('a single case too big for a buffer is refused, not split forever', async () => {
    const g = jit(solveAll, {
      backend: 'webasm',
      strict: true,
      threads: false,
      maxBufferBytes: ONE_CASE / 2,
    });
    await expect(g(Tini, sigma)).rejects.toThrow(/a single case of this program needs/);
  });
});
