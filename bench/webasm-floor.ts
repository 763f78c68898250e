/**
 * What one compiled kernel costs on gpu.js's WebAssembly backend, independent of the solver: the floor that
 * bounds the compiled rows of `npm run bench` on a CPU.
 *
 *   npm run bench:floor -- [--n 1,3216,12864,102400] [--launches 2000] [--reps 3]
 *
 * Each row is a jit-compiled `fori` of L identical steps on a vector of n float32 values, so one pipeline runs
 * L launches of one kernel (the way a solver's time loop runs): `axpb` reads one array element per output
 * element (y = 1.0001·x + 0.5), `stencil` reads three (y = (x[i−1] + 2x[i] + x[i+1])/4, periodic). Prints
 * per-launch and per-element times; the launch overhead is the n = 1 row.
 */

import type { Tensor } from '../core/index';
import { fori, pad, tensor } from '../core/index';
import { jit } from '../core/jit/index';
import { positiveInt, positiveInts, scriptArgs } from './args';
import { executorLabel } from './jit';
import { median } from './stats';

const USAGE = 'usage: npm run bench:floor -- [--n 1,3216,12864,102400] [--launches 2000] [--reps 3]';
const args = scriptArgs(
  {
    n: { type: 'string', default: '1,3216,12864,102400' },
    launches: { type: 'string', default: '2000' },
    reps: { type: 'string', default: '3' },
  },
  USAGE,
);
const sizes = positiveInts('n', args.n, USAGE);
const launches = positiveInt('launches', args.launches, USAGE);
const reps = positiveInt('reps', args.reps, USAGE);

const axpb = (x: Tensor) => x.mul(1.0001).add(0.5);
const stencil = (x: Tensor) => {
  const p = pad(x, [1, 1], 'circular');
  const n = x.shape[0]!;
  return p
    .get(`0:${n}`)
    .add(x.mul(2))
    .add(p.get(`2:${n + 2}`))
    .mul(0.25);
};

for (const [name, step] of [
  ['axpb', axpb],
  ['stencil', stencil],
] as const) {
  for (const n of sizes) {
    const f = jit((x: Tensor) => fori(launches, step, x), {
      backend: 'webasm',
      threads: false,
      strict: true,
    });
    const x = tensor(new Float32Array(n).fill(1), { shape: [n], dtype: 'float32' });
    await f(x); // compiles
    const times: number[] = [];
    for (let r = 0; r < reps; r++) {
      await f(x);
      times.push(f.lastRun!.runMs);
    }
    const ms = median(times);
    const run = f.lastRun!;
    console.log(
      JSON.stringify({
        kernel: name,
        n,
        launches: run.launches,
        ran: executorLabel(run),
        us_per_launch: +((ms * 1e3) / run.launches).toFixed(3),
        ns_per_element: +((ms * 1e6) / run.launches / n).toFixed(3),
      }),
    );
  }
}
