/** `grad`: the gradient of a scalar objective w.r.t. one input, for every case (vmap of grad). */
import { grad, vmap } from '../../core/index';
import { sumFinalE } from '../../core/rte/index';
import type { Tensor } from '../../core/tensor/tensor';
import { BACKEND_NOTES } from '../backend';
import { defineCommand, shapesOf } from '../command';
import { flag, oneOf } from '../flags';
import { checkFiniteResults, prepare, ranFields, runPlanned, SOLVE_FLAGS, writeResults } from './common';

export const WRT = ['sigma', 'Tini'] as const;
export const argnumOf = (wrt: (typeof WRT)[number]): 0 | 1 => (wrt === 'Tini' ? 0 : 1);

export const gradCommand = defineCommand({
  name: 'grad',
  summary: 'Gradient of an objective for every case; writes DIR/grad.npy [B,N].',
  flags: {
    ...SOLVE_FLAGS,
    objective: flag(
      'sum-final-E',
      'sum-final-E: sum over cells of E at the last record',
      oneOf(['sum-final-E']),
    ),
    wrt: flag('sigma|Tini', 'the input to differentiate with respect to', oneOf(WRT)),
  },
  notes: BACKEND_NOTES,
  async run(v) {
    const p = prepare(v, { kind: 'grad', files: ['grad.npy'] });
    const objective = sumFinalE(p.spec, { allowUnstable: p.allowUnstable });
    const gradAll = vmap(grad(objective, { argnums: argnumOf(v.wrt) })) as (a: Tensor, b: Tensor) => Tensor;
    const ran = await runPlanned(p.plan, gradAll, [p.Tini, p.sigma]);
    const g = ran.result;
    checkFiniteResults(p, { grad: g });
    const files = await writeResults(p, { 'grad.npy': g });
    return {
      command: 'grad',
      dtype: p.dtype,
      ...ranFields(ran),
      objective: v.objective,
      wrt: v.wrt,
      shapes: shapesOf({ Tini: p.Tini, sigma: p.sigma, grad: g }),
      files,
    };
  },
});
