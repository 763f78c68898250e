/**
 * Every reference case compiled with jit on one backend (strict: no fallback), in its own process so the
 * long synchronous runs (400×400 Jacobians) do not starve the test runner. Prints one JSON line per case:
 * {name, ran, executors, errors, tolerance, seconds}.
 *
 *   node --import tsx test/jit/jobs/reference-cases.ts <webasm|cpu|webgpu> [heavy|light]
 */
import '../../../core/index';
import { jit } from '../../../core/jit/index';
import { installNodeWebGpu } from '../../../core/jit/node-webgpu';
import type { Tensor } from '../../../core/tensor/tensor';
import { flatten } from '../../../core/util/pytree';
import { loadReference, relErr } from '../../helpers/reference';
import { caseArgs, referenceCases, tolerance } from '../reference-cases';

const backend = process.argv[2] as 'webasm' | 'cpu' | 'webgpu';
const which = process.argv[3] ?? 'all';
if (!['webasm', 'cpu', 'webgpu'].includes(backend)) throw new Error(`unknown backend ${backend}`);
if (backend === 'webgpu') {
  const status = await installNodeWebGpu();
  if (!status.installed) throw new Error(`WebGPU is unavailable: ${status.reason}`);
}

for (const c of referenceCases()) {
  if ((which === 'heavy' && !c.heavy) || (which === 'light' && c.heavy)) continue;
  const g = jit(c.fn, { backend, strict: true, threads: false });
  const t0 = performance.now();
  const outs = flatten(await g(...caseArgs(c, loadReference)))[0] as Tensor[];
  const seconds = (performance.now() - t0) / 1000;
  const run = g.lastRun!;
  console.log(
    JSON.stringify({
      name: c.name,
      ran: run.backend,
      fallbacks: run.fallbacks,
      executors: run.executors.map((e) => `${e.backend}/${e.executorKind}`),
      dtypes: outs.map((o) => o.dtype),
      errors: c.outputs.map((file, i) => relErr(outs[i]!, loadReference(file))),
      tolerance: tolerance(c),
      seconds,
    }),
  );
}
process.exit(0);
