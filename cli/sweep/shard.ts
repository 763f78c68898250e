/**
 * Computing one shard: sample its cases' inputs, run every requested output through one compiled (or eager)
 * vmapped function, and write the chunks and the marker. The last shard is padded to the shard size with
 * copies of its last case, so every shard runs the same compiled program (one compilation per worker).
 */
import { grad, type Tensor, tensor, vmap } from '../../core/index';
import { jit } from '../../core/jit/index';
import { solve, sumFinalE } from '../../core/rte/index';
import type { Sweep } from './spec';
import { shardCases, writeShard } from './store';

type Outputs = Record<string, Tensor>;

/** The per-shard function of (Tini [S, N], sigma [S, N]): every requested output, keyed by array name. */
function shardFunction(sweep: Sweep): (Tini: Tensor, sigma: Tensor) => Outputs {
  const { grid } = sweep;
  const one = (Tini: Tensor, sigma: Tensor): Outputs => {
    const out: Outputs = {};
    for (const item of sweep.json.compute) {
      if (item === 'solve') {
        const { E, T } = solve(grid, Tini, sigma);
        out.E = E;
        out.T = T;
      } else {
        const argnums = item.grad.wrt === 'Tini' ? 0 : 1;
        out[`grad_${item.grad.wrt}`] = grad(sumFinalE(grid), { argnums })(Tini, sigma) as Tensor;
      }
    }
    return out;
  };
  return vmap(one) as (Tini: Tensor, sigma: Tensor) => Outputs;
}

export interface ShardRunner {
  run(k: number): Promise<{ cases: number; backend: string; seconds: number }>;
}

/**
 * A runner for `sweep` writing into the store at `dir`; compiles on its first shard. `threads`: split each
 * shard's cases over jit's installed thread pool (a Slurm task given several CPUs); the split is bit for bit
 * the one-thread result.
 */
export function shardRunner(sweep: Sweep, dir: string, threads = false): ShardRunner {
  const f = shardFunction(sweep);
  const compiled = sweep.json.backend === 'wasm' ? jit(f, { backend: 'wasm', strict: true, threads }) : null;
  const { N } = sweep.grid;
  const S = sweep.shardSize;
  const P = sweep.cases.names.length;
  return {
    async run(k) {
      const t0 = performance.now();
      const [lo, hi] = shardCases(sweep, k);
      const Tini = new Float64Array(S * N);
      const sigma = new Float64Array(S * N);
      for (let i = 0; i < S; i++) {
        const inputs = sweep.inputs(Math.min(lo + i, hi - 1));
        Tini.set(inputs.Tini, i * N);
        sigma.set(inputs.sigma, i * N);
      }
      const dtype = sweep.json.dtype;
      const args = [tensor(Tini, { shape: [S, N], dtype }), tensor(sigma, { shape: [S, N], dtype })] as const;
      const result = compiled ? ((await compiled(...args)) as Outputs) : f(...args);
      const outputs: Record<string, Float64Array | Float32Array> = {
        params: sweep.cases.values.slice(lo * P, hi * P),
      };
      for (const [name, t] of Object.entries(result)) {
        const data = t.concrete(`sweep output ${name}`).data as Float64Array | Float32Array;
        const per = data.length / S;
        outputs[name] = data.slice(0, (hi - lo) * per);
      }
      const backend = compiled ? (compiled.lastRun?.backend ?? 'wasm') : 'eager';
      const seconds = Math.round(performance.now() - t0) / 1000;
      writeShard(dir, sweep, k, outputs, { backend, seconds });
      return { cases: hi - lo, backend, seconds };
    },
  };
}
