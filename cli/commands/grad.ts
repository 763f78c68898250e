/** `grad`: the gradient of a scalar objective w.r.t. one input, for every case (vmap of grad). */
import { grad, vmap } from '../../core/index';
import { sumFinalE } from '../../core/rte/index';
import { defineCommand, shapesOf, timed } from '../command';
import { flag, oneOf } from '../flags';
import { writeOutputs } from '../npy-files';
import { prepare, SOLVE_FLAGS } from './common';

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
  run(v) {
    const p = prepare(v);
    const objective = sumFinalE(p.spec, { allowUnstable: p.allowUnstable });
    const [g, seconds] = timed(() => vmap(grad(objective, { argnums: argnumOf(v.wrt) }))(p.Tini, p.sigma));
    const files = writeOutputs(p.out, { 'grad.npy': g });
    return {
      command: 'grad',
      backend: p.backend,
      dtype: p.dtype,
      seconds,
      objective: v.objective,
      wrt: v.wrt,
      shapes: shapesOf({ Tini: p.Tini, sigma: p.sigma, grad: g }),
      files,
    };
  },
});
