/**
 * Computing one shard: sample its cases' inputs, run every requested output through one compiled (or eager)
 * vmapped function, and write the chunks and the marker. The last shard is padded to the shard size with
 * copies of its last case, so every shard runs the same compiled program (one compilation per worker).
 */
import { grad, jvp, type Tensor, tensor, vmap } from '../../core/index';
import { jit } from '../../core/jit/index';
import { solve, sumFinalE } from '../../core/rte/index';
import { caseJacobian, decompress, sweepSparsePlan } from './jacobian';
import type { Sweep } from './spec';
import { shardCases, writeShard } from './store';

type Outputs = Record<string, Tensor>;

type ShardFunction = (Tini: Tensor, sigma: Tensor, ...directions: Tensor[]) => Outputs;

/**
 * The per-shard function of (Tini [S, N], sigma [S, N], one direction [S, N] per jvp item): every requested
 * output, keyed by array name.
 */
function shardFunction(sweep: Sweep): ShardFunction {
  const { grid } = sweep;
  const one = (Tini: Tensor, sigma: Tensor, ...directions: Tensor[]): Outputs => {
    const out: Outputs = {};
    let d = 0;
    for (const [at, item] of sweep.json.compute.entries()) {
      if (item === 'solve') {
        const { E, T } = solve(grid, Tini, sigma);
        out.E = E;
        out.T = T;
      } else if ('jacobian' in item) {
        const j = sweep.jacobians.find((jj) => jj.at === at)!;
        // a sparse one comes back compressed [colours, N]: decompressed on the host below
        out[j.layout === 'dense' ? j.stem : `${j.stem}_compressed`] = caseJacobian(sweep, j, Tini, sigma);
      } else if ('grad' in item) {
        const argnums = item.grad.wrt === 'Tini' ? 0 : 1;
        out[`grad_${item.grad.wrt}`] = grad(sumFinalE(grid), { argnums })(Tini, sigma) as Tensor;
      } else {
        const { wrt } = item.jvp;
        const outputs = (v: Tensor) => {
          const r = wrt === 'Tini' ? solve(grid, v, sigma) : solve(grid, Tini, v);
          return [r.E, r.T];
        };
        const [, [dE, dT]] = jvp(outputs, [wrt === 'Tini' ? Tini : sigma], [directions[d++]!]) as [
          unknown,
          [Tensor, Tensor],
        ];
        out[`jvp_${wrt}_E`] = dE;
        out[`jvp_${wrt}_T`] = dT;
      }
    }
    return out;
  };
  return vmap(one) as ShardFunction;
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
  // sparse Jacobians' patterns are detected eagerly here, before any tracing
  for (const j of sweep.jacobians) if (j.layout === 'sparse') sweepSparsePlan(sweep, j);
  const f = shardFunction(sweep);
  const compiled = sweep.json.backend === 'wasm' ? jit(f, { backend: 'wasm', strict: true, threads }) : null;
  const { N } = sweep.grid;
  const S = sweep.shardSize;
  const P = sweep.cases.names.length;
  return {
    async run(k) {
      const t0 = performance.now();
      const [lo, hi] = shardCases(sweep, k);
      // columns: Tini, sigma, then each jvp item's direction; rows: the shard's cases (the last one repeated)
      let columns: Float64Array[] = [];
      for (let i = 0; i < S; i++) {
        const inputs = sweep.inputs(Math.min(lo + i, hi - 1));
        const fields = [inputs.Tini, inputs.sigma, ...inputs.directions];
        if (i === 0) columns = fields.map(() => new Float64Array(S * N));
        fields.forEach((v, j) => {
          columns[j]!.set(v, i * N);
        });
      }
      const dtype = sweep.json.dtype;
      const [Tini, sigma, ...directions] = columns.map((v) => tensor(v, { shape: [S, N], dtype }));
      const result = compiled
        ? ((await compiled(Tini!, sigma!, ...directions)) as Outputs)
        : f(Tini!, sigma!, ...directions);
      const outputs: Record<string, Float64Array | Float32Array> = {
        params: sweep.cases.values.slice(lo * P, hi * P),
      };
      for (const [name, t] of Object.entries(result)) {
        const data = t.concrete(`sweep output ${name}`).data as Float64Array | Float32Array;
        const per = data.length / S;
        outputs[name] = data.slice(0, (hi - lo) * per);
      }
      for (const j of sweep.jacobians)
        if (j.layout === 'sparse') {
          const compressed = outputs[`${j.stem}_compressed`]!;
          outputs[`${j.stem}_vals`] = decompress(sweepSparsePlan(sweep, j), compressed, hi - lo);
          delete outputs[`${j.stem}_compressed`];
        }
      const backend = compiled ? (compiled.lastRun?.backend ?? 'wasm') : 'eager';
      const seconds = Math.round(performance.now() - t0) / 1000;
      writeShard(dir, sweep, k, outputs, { backend, seconds });
      return { cases: hi - lo, backend, seconds };
    },
  };
}
