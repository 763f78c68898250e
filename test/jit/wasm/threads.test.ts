/** Cases of a vmapped function split across worker threads (Node): the same numbers as on one thread. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import '../../../core/index';
import { hessian, jacfwd, rand, sum, tensor, vmap } from '../../../core/index';
import { jit } from '../../../core/jit/index';
import { installNodeThreads } from '../../../core/jit/node-threads';
import { type CasePool, setCasePool, takeCase } from '../../../core/jit/wasm/pool';
import { seedCases, solve } from '../../../core/rte/index';
import type { Tensor } from '../../../core/tensor/tensor';
import { relErr } from '../../helpers/reference';

const spec = { N: 48, Nvx: 6, CFL: 0.8, tEnd: 0.3, every: 4 };
// vmap(solve), as the CLI and the workbench call it: jit runs its cases one by one, on the threads it has
const solveAll = vmap((t: Tensor, s: Tensor) => {
  const r = solve(spec, t, s);
  return [r.E, r.T];
});

afterAll(() => setCasePool(null));

describe('wasm threads', () => {
  it('splits 16 cases over this thread and a worker, bit for bit equal to one thread', async () => {
    expect(installNodeThreads(1)).toBe(1);
    const { Tini, sigma } = seedCases(
      spec.N,
      Array.from({ length: 16 }, (_, i) => 1 + i / 4),
    );
    const one = jit(solveAll, { backend: 'wasm', strict: true, threads: false });
    const two = jit(solveAll, { backend: 'wasm', strict: true });
    const [E1, T1] = (await one(Tini, sigma)) as Tensor[];
    const [E2, T2] = (await two(Tini, sigma)) as Tensor[];
    expect(one.lastRun!.threads).toBe(1);
    expect(two.lastRun!.threads).toBe(2);
    expect(E2!.shape).toEqual(E1!.shape);
    expect(Array.from(E2!.concrete('t').data)).toEqual(Array.from(E1!.concrete('t').data));
    expect(Array.from(T2!.concrete('t').data)).toEqual(Array.from(T1!.concrete('t').data));
    // and equal to the eager path to rounding
    const [Ee] = solveAll(Tini, sigma);
    const a = E2!.concrete('t').data;
    const b = Ee!.concrete('t').data;
    let err = 0;
    for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i]! - b[i]!));
    expect(err).toBeLessThan(1e-12);
  });

  it('leaves the cases of a worker that starts late to this thread', async () => {
    // a worker that comes to the queue only after this thread has emptied it (its core busy elsewhere): with
    // shares fixed in advance its half of the batch would wait for it, here this thread takes every case
    let late = 0;
    const lateWorker: CasePool = {
      size: 1,
      shared: (dtype, n) => {
        const T = dtype === 'float32' ? Float32Array : dtype === 'float64' ? Float64Array : Int32Array;
        return new T(new SharedArrayBuffer(n * T.BYTES_PER_ELEMENT) as unknown as ArrayBuffer);
      },
      run: (_w, _program, _cases, queue) =>
        new Promise((resolve) =>
          setTimeout(() => {
            while (takeCase(queue) !== null) late++;
            resolve();
          }, 0),
        ),
    };
    setCasePool(lateWorker);
    const { Tini, sigma } = seedCases(
      spec.N,
      Array.from({ length: 12 }, (_, i) => 1 + i / 4),
    );
    const g = jit(solveAll, { backend: 'wasm', strict: true });
    const [E2] = (await g(Tini, sigma)) as Tensor[];
    expect(g.lastRun!.threads).toBe(2);
    expect(late).toBe(0);
    const [E1] = (await jit(solveAll, { backend: 'wasm', strict: true, threads: false })(
      Tini,
      sigma,
    )) as Tensor[];
    expect(Array.from(E2!.concrete('t').data)).toEqual(Array.from(E1!.concrete('t').data));
  });

  it('keeps small batches on this thread', async () => {
    installNodeThreads(1);
    const { Tini, sigma } = seedCases(spec.N, [1, 2]);
    const g = jit(solveAll, { backend: 'wasm', strict: true });
    await g(Tini, sigma);
    expect(g.lastRun!.threads).toBe(1);
  });

  it('shares the basis chunks of a Jacobian between threads, with the eager values', async () => {
    installNodeThreads(1);
    // 131 inputs (prime): 9 chunks of 16 basis rows, the last completed by zero rows
    const x = rand([131], { seed: 5, dtype: 'float64' });
    const h = (a: Tensor) => a.sin().mul(a.get('::-1')).add(a.sum());
    const J = jacfwd(h);
    const g = jit(J, { backend: 'wasm', strict: true });
    const got = (await g(x)) as Tensor;
    expect(g.lastRun).toMatchObject({ chunks: 9, threads: 2 });
    expect(relErr(got, J(x) as Tensor)).toBeLessThan(1e-14);
  });

  it("gives each thread one of a hessian's two tangent rows", async () => {
    installNodeThreads(1);
    const { Tini } = seedCases(spec.N, [1]);
    const T0 = Tini.get(0);
    // σ(θ) = θ₀ + θ₁ sin(2πx): the workbench's two-parameter opacity
    const x = Array.from({ length: spec.N }, (_, i) => Math.sin((2 * Math.PI * (i + 0.5)) / spec.N));
    const wave = tensor(x);
    const f = (th: Tensor) => sum(solve(spec, T0, wave.mul(th.get(1)).add(th.get(0))).E.get(-1));
    const theta = tensor([1.5, 0.4]);
    const g = jit(hessian(f), { backend: 'wasm', strict: true });
    const got = (await g(theta)) as Tensor;
    expect(g.lastRun).toMatchObject({ chunks: 2, threads: 2 });
    const one = jit(hessian(f), { backend: 'wasm', strict: true, threads: false });
    // one program for both rows on one thread: the same sums per row, in SIMD lanes laid out otherwise
    expect(relErr(got, (await one(theta)) as Tensor)).toBeLessThan(1e-13);
    expect(one.lastRun).toMatchObject({ chunks: 1, threads: 1 });
    expect(relErr(got, hessian(f)(theta) as Tensor)).toBeLessThan(1e-12);
  });

  it('lets a script end once its threaded calls are done, and keeps it alive while they run', async () => {
    const job = fileURLToPath(new URL('../jobs/threads-then-exit.ts', import.meta.url));
    // before the fix the child never exited (the idle workers' ports held it open): the timeout kills it
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', job], {
      timeout: 30_000,
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ threads: 2 });
  });
});
