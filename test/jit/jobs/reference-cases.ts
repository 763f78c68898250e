/**
 * Every reference case compiled with jit on one backend (strict: no fallback), in its own process so the
 * long synchronous runs (400×400 Jacobians) do not starve the test runner. Prints one JSON line per case:
 * {name, ran, executors, errors, tolerance, seconds}.
 *
 *   node --import tsx test/jit/jobs/reference-cases.ts <wasm|webasm|cpu|webgpu> [heavy|light|all] [float32|float64]
 * (float64: wasm only, the one target that computes in float64; held to the float64 tolerance)
 */
import '../../../core/index';
import { jit } from '../../../core/jit/index';
import { installNodeWebGpu } from '../../../core/jit/node-webgpu';
import type { Tensor } from '../../../core/tensor/tensor';
import { flatten } from '../../../core/util/pytree';
import { loadReference, relErr } from '../../helpers/reference';
import { caseArgs, caseOutputs, referenceCases, TOL_F64, tolerance } from '../reference-cases';

const backend = process.argv[2] as 'wasm' | 'webasm' | 'cpu' | 'webgpu';
const which = process.argv[3] ?? 'all';
const dtype = (process.argv[4] ?? 'float32') as 'float32' | 'float64';
if (!['wasm', 'webasm', 'cpu', 'webgpu'].includes(backend)) throw new Error(`unknown backend ${backend}`);
if (dtype === 'float64' && backend !== 'wasm') throw new Error('only wasm computes in float64');
if (backend === 'webgpu') {
  const status = await installNodeWebGpu();
  if (!status.installed) throw new Error(`WebGPU is unavailable: ${status.reason}`);
}

for (const c of referenceCases()) {
  if ((which === 'heavy' && !c.heavy) || (which === 'light' && c.heavy)) continue;
  const g = jit(c.fn, { backend, strict: true, threads: false });
  const t0 = performance.now();
  const outs = flatten(await g(...caseArgs(c, loadReference, dtype)))[0] as Tensor[];
  const seconds = (performance.now() - t0) / 1000;
  const run = g.lastRun!;
  console.log(
    JSON.stringify({
      name: c.name,
      ran: run.backend,
      fallbacks: run.fallbacks,
      executors: run.executors.map((e) => `${e.backend}/${e.executorKind}`),
      dtypes: outs.map((o) => o.dtype),
      errors: caseOutputs(c, dtype).map((file, i) => relErr(outs[i]!, loadReference(file))),
      tolerance: dtype === 'float64' ? TOL_F64 : tolerance(c),
      seconds,
    }),
  );
}
process.exit(0);
