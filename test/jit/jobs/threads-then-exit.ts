/**
 * A script that runs a vmapped solve on two threads and then simply ends: it must exit by itself (an idle
 * worker pool may not hold the process open), printing the threads the run used.
 */
import { vmap } from '../../../core/index';
import { jit } from '../../../core/jit/index';
import { installNodeThreads } from '../../../core/jit/node-threads';
import { seedCases, solve } from '../../../core/rte/index';
import type { Tensor } from '../../../core/tensor/tensor';

const spec = { N: 48, Nvx: 6, CFL: 0.8, tEnd: 0.3, every: 4 };
installNodeThreads(1);
const solveAll = vmap((t: Tensor, s: Tensor) => solve(spec, t, s).E);
const { Tini, sigma } = seedCases(
  spec.N,
  Array.from({ length: 16 }, (_, i) => 1 + i / 4),
);
const g = jit(solveAll, { backend: 'wasm', strict: true });
await g(Tini, sigma);
// a second call after the pool went idle: the workers must hold the process again while they run
await new Promise((r) => setTimeout(r, 50));
await g(Tini, sigma);
console.log(JSON.stringify({ threads: g.lastRun!.threads }));
