/**
 * jit composes with the transforms: jit of vmap/jvp/grad/jacfwd stages the transformed function and compiles
 * it (scans included: the vjp rule's checkpointed replay, scans with per-step inputs, nested scans whose
 * records feed the outer loop); transforms of jit see the staged primitives.
 */
import { describe, expect, it } from 'vitest';
import {
  cast,
  fori,
  grad,
  jacfwd,
  jvp,
  rand,
  scan,
  sum,
  tensor,
  valueAndGrad,
  vjp,
  vmap,
  zeros,
} from '../../core/index';
import { webgpuDevice } from '../../core/jit/gpujs';
import { jit } from '../../core/jit/index';
import { sumFinalE } from '../../core/rte/index';
import type { Tensor } from '../../core/tensor/tensor';
import { loadReference, relErr } from '../helpers/reference';
import { BACKENDS, checkJit, expectRanOn, webgpu } from './helpers';

const x = rand([5, 7], { seed: 21, low: -1, high: 1 });
const w = rand([7], { seed: 22, low: 0.2, high: 1.2 });
const f = (a: Tensor, b: Tensor) => a.mul(b).sin().add(a.pow(3).mul(0.1)).sum(-1);

/** A small recurrence: a scan with per-step inputs and records. */
const rnn = (h0: Tensor, xs: Tensor, v: Tensor) => {
  const [h, ys] = scan(
    (h: Tensor, xt: Tensor) => {
      const hn = h.mul(v).add(xt).tanh();
      return [hn, hn.mul(hn).sum()];
    },
    h0,
    xs,
  );
  return h.sum().add(ys.sum());
};
const h0 = rand([6], { seed: 23 });
const xs = rand([9, 6], { seed: 24, low: -1, high: 1 });
const v = rand([6], { seed: 25, low: 0.5, high: 1 });

describe.each(BACKENDS)('jit of transformed functions on %s', (backend) => {
  it('jit(vmap(f)) and jit(jvp(f))', async () => {
    await checkJit(vmap(f, { inDims: [0, null] }), [x, w], backend);
    const tx = rand([5, 7], { seed: 26 });
    await checkJit(
      (a: Tensor, b: Tensor, t: Tensor) => jvp((u: Tensor) => f(u, b), [a], [t]),
      [x, w, tx],
      backend,
      5e-6,
    );
  });

  it('jit(grad(f)), jit(vjp) and jit(jacfwd(f))', async () => {
    await checkJit(
      grad((a: Tensor, b: Tensor) => f(a, b).sum(), { argnums: [0, 1] }),
      [x, w],
      backend,
      5e-6,
    );
    const ct = rand([5], { seed: 27 });
    await checkJit((a: Tensor, c: Tensor) => vjp((u: Tensor) => f(u, w), a)[1](c), [x, ct], backend, 5e-6);
    await checkJit(
      jacfwd((b: Tensor) => f(x, b)),
      [w],
      backend,
      5e-6,
    );
  });

  it('compiles a scan with per-step inputs, its gradient (checkpointed replay) and its jvp', async () => {
    await checkJit(rnn, [h0, xs, v], backend, 5e-6);
    await checkJit(valueAndGrad(rnn, { argnums: [0, 1, 2] }), [h0, xs, v], backend, 2e-5);
    const t = rand([9, 6], { seed: 28 });
    await checkJit(
      (a: Tensor, b: Tensor, c: Tensor, tt: Tensor) => jvp((u: Tensor) => rnn(a, u, c), [b], [tt]),
      [h0, xs, v, t],
      backend,
      2e-5,
    );
  });

  it('compiles nested scans whose inner records feed the outer loop (a phase per outer step)', async () => {
    const nested = (c0: Tensor, k: Tensor) =>
      scan(
        (c: Tensor) => {
          const [c2, inner] = scan((d: Tensor) => [d.mul(k).add(0.1).cos(), d.sum()], c, null, { length: 3 });
          return [c2.add(inner.sum().mul(0.01)), inner];
        },
        c0,
        null,
        { length: 4 },
      );
    const g = await checkJit(nested, [h0, v], backend, 5e-6);
    // gpu.js reads each outer step's records back (a phase each); wasm runs both loops inside one module
    if (backend === 'wasm') expect(g.lastRun!.phases).toBe(1);
    else expect(g.lastRun!.phases).toBeGreaterThan(1);
  });

  it('jit(vmap(grad)) of the solver on the small grid against PyTorch (float32 tolerance)', async () => {
    const spec = { N: 32, Nvx: 4, CFL: 0.8, tEnd: 0.25, every: 5 };
    const Tini = cast(loadReference('small_N32_V4_Tini_f64'), 'float32');
    const sigma = cast(loadReference('small_N32_V4_sigma_f64'), 'float32');
    const want = loadReference('small_N32_V4_grad_sumEfinal_dsigma_f64');
    const gradFn = vmap((t: Tensor, s: Tensor) => grad(sumFinalE(spec), { argnums: 1 })(t, s));
    const g = jit(gradFn, { backend, strict: true, threads: false });
    const got = await g(Tini, sigma);
    expectRanOn(g, backend);
    // float32 through ~10 steps forward and back: the eager float32 path itself is 5e-5 away
    expect(relErr(got, want)).toBeLessThan(5e-4);
    expect(relErr(gradFn(Tini, sigma), want)).toBeLessThan(5e-4);
  });
});

describe('transforms of jit', () => {
  it('vmap, grad and jvp of a jitted function see its primitives (synchronous, exact float64)', () => {
    const g = jit(f, { backend: 'webasm', strict: true });
    const xb = rand([3, 5, 7], { seed: 29 });
    expect(relErr(vmap(g, { inDims: [0, null] })(xb, w), vmap(f, { inDims: [0, null] })(xb, w))).toBe(0);
    const loss = (a: Tensor) => g(a, w).sum();
    expect(relErr(grad(loss)(x), grad((a: Tensor) => f(a, w).sum())(x))).toBe(0);
    const [, t1] = jvp((a: Tensor) => g(a, w), [x], [x]);
    const [, t2] = jvp((a: Tensor) => f(a, w), [x], [x]);
    expect(relErr(t1, t2)).toBe(0);
    expect(g.lastRun).toBeNull(); // nothing ran compiled
  });

  it('a jitted scan body inside a transform (closed-over tracers are evaluated, not cached)', () => {
    const g = jit((c: Tensor) => fori(4, (d: Tensor) => d.mul(w.get(':6')).add(1).sqrt(), c));
    const want = grad((c: Tensor) => fori(4, (d: Tensor) => d.mul(w.get(':6')).add(1).sqrt(), c).sum())(h0);
    expect(relErr(grad((c: Tensor) => g(c).sum())(h0), want)).toBe(0);
  });
});

describe('jit under staging', () => {
  it('a jit inside an enclosing jit or a scan body evaluates synchronously and is staged into it', async () => {
    const inner = jit((a: Tensor) => a.mul(2).add(1));
    const outer = jit((a: Tensor) => inner(a).sin(), { backend: 'webasm', strict: true });
    expect(relErr(await outer(x), x.mul(2).add(1).sin())).toBeLessThan(2e-6);
    expect(inner.lastRun).toBeNull();
    const c = tensor([1, 2, 3]);
    const looped = fori(3, (h: Tensor) => h.add(inner(c)), zeros([3]));
    expect(Array.from(looped.toTypedArray())).toEqual([9, 15, 21]);
  });
});

describe('jit caching and signatures', () => {
  it('keys function-valued static arguments by identity', async () => {
    const apply = jit((a: Tensor, fn: (t: Tensor) => Tensor) => fn(a), { backend: 'webasm', strict: true });
    const s = await apply(x, (t: Tensor) => t.sin());
    const k = await apply(x, (t: Tensor) => t.cos());
    expect(relErr(s, x.sin())).toBeLessThan(2e-6);
    expect(relErr(k, x.cos())).toBeLessThan(2e-6);
  });

  it('stages once per tree structure, shape and dtype; pytrees in and out', async () => {
    let traces = 0;
    const fn = (p: { a: Tensor; b: [Tensor, number] }) => {
      traces++;
      return { s: p.a.mul(p.b[1]).add(p.b[0]), n: sum(p.a) };
    };
    const g = jit(fn, { backend: 'webasm', strict: true });
    const a = tensor([1, 2, 3], { dtype: 'float32' });
    const b = tensor([0.5, 0.25, 0.125], { dtype: 'float32' });
    const r1 = await g({ a, b: [b, 2] });
    await g({ a: b, b: [a, 2] });
    expect(traces).toBe(1);
    await g({ a, b: [b, 3] }); // a different static value
    await g({
      a: tensor([1, 2, 3, 4], { dtype: 'float32' }),
      b: [tensor([1, 1, 1, 1], { dtype: 'float32' }), 2],
    });
    await g({ a: cast(a, 'float64'), b: [cast(b, 'float64'), 2] });
    expect(traces).toBe(4);
    expect(Array.from(r1.s.toTypedArray())).toEqual([2.5, 4.25, 6.125]);
    expect(r1.n.item()).toBe(6);
    expectRanOn(g, 'webasm');
  });
});

describe('backend selection and fallback', () => {
  const empty = zeros([0, 3]);
  const fe = (a: Tensor) => a.add(1);

  it('auto picks the best available backend and reports it (no hardware GPU here: core’s wasm)', async () => {
    const g = jit((a: Tensor) => a.mul(2), { threads: false });
    const r = await g(x);
    expect(r.dtype).toBe('float64');
    expect(relErr(r, x.mul(2))).toBe(0);
    expect(g.lastRun!.requested).toBe('auto');
    expect(g.lastRun!.backend).toBe('wasm');
    expect(g.lastRun!.fallbacks).toEqual([]);
  });

  it('wasm computes empty arrays and passes inputs through', async () => {
    const g = jit((a: Tensor) => [a.add(1), a], { backend: 'wasm', strict: true });
    const [r, same] = (await g(empty)) as Tensor[];
    expect(r!.shape).toEqual([0, 3]);
    expect(same!.shape).toEqual([0, 3]);
  });

  it('a program a backend cannot take falls back with a message, never a wrong answer', async () => {
    const messages: string[] = [];
    const g = jit(fe, { backend: 'webasm', onFallback: (m) => messages.push(m) });
    const r = await g(empty);
    expect(r.shape).toEqual([0, 3]);
    expect(g.lastRun!.backend).toBe('eager');
    expect(messages.length).toBe(2);
    expect(messages[0]).toMatch(/backend 'webasm' was not used: .*empty arrays/);
    expect(g.lastRun!.fallbacks).toEqual(messages);
  });

  it('strict mode refuses to fall back', async () => {
    const g = jit(fe, { backend: 'webasm', strict: true });
    await expect(g(empty)).rejects.toThrow(/backend 'webasm' was not used: .*empty arrays/);
  });

  it.runIf(webgpu.installed)(
    'a lost WebGPU device falls back with a message for that call; the next call gets a fresh device',
    async () => {
      const messages: string[] = [];
      const fx = (a: Tensor) => a.mul(2).add(1).sin();
      const x32 = cast(x, 'float32');
      const want = fx(x);
      const g = jit(fx, { backend: 'webgpu', threads: false, onFallback: (m) => messages.push(m) });
      expect(relErr(await g(x32), want)).toBeLessThan(1e-6);
      expect(g.lastRun!.backend).toBe('webgpu');
      const device = (await webgpuDevice())!;
      device.destroy();
      await device.lost;
      const during = await g(x32);
      expect(g.lastRun!.backend).toBe('wasm');
      expect(relErr(during, want)).toBeLessThan(1e-6);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(/backend 'webgpu' was not used: the GPU device was lost/);
      const after = await g(x32);
      expect(g.lastRun!.backend).toBe('webgpu');
      expect(g.lastRun!.fallbacks).toEqual([]);
      expect(relErr(after, want)).toBeLessThan(1e-6);
    },
  );

  it('the eager backend is the float64 reference path', async () => {
    const g = jit(f, { backend: 'eager' });
    const r = await g(x, w);
    expect(r.dtype).toBe('float64');
    expect(relErr(r, f(x, w))).toBe(0);
    expect(g.lastRun!.backend).toBe('eager');
  });
});
