/** `jvp`: the tangent of every recorded E and T along a direction in one input, for every case. */

import type { Tensor } from '../../core/index';
import { jvp, vmap } from '../../core/index';
import { solve } from '../../core/rte/index';
import { BACKEND_NOTES } from '../backend';
import { defineCommand, shapesOf } from '../command';
import { filePath, flag, oneOf } from '../flags';
import { loadDirection } from '../inputs';
import { checkFiniteResults, prepare, ranFields, runPlanned, SOLVE_FLAGS, writeResults } from './common';
import { WRT } from './grad';

export const jvpCommand = defineCommand({
  name: 'jvp',
  summary: 'Directional derivative of E and T; writes DIR/jvp_E.npy and DIR/jvp_T.npy [B,R,N].',
  flags: {
    ...SOLVE_FLAGS,
    wrt: flag('sigma|Tini', 'the input the direction perturbs', oneOf(WRT)),
    direction: flag('FILE.npy', 'the tangent: [B,N], or [N] for every case', filePath),
  },
  notes: BACKEND_NOTES,
  async run(v) {
    const p = prepare(v, { kind: 'jvp', files: ['jvp_E.npy', 'jvp_T.npy'] });
    const direction = loadDirection('direction', v.direction, p.B, p.spec.N, p.dtype, p.budget.maxBytes);
    const opts = { allowUnstable: p.allowUnstable };
    const perCase = (Tini: Tensor, sigma: Tensor, d: Tensor): [Tensor, Tensor] => {
      const outputs = (x: Tensor) => {
        const r = v.wrt === 'Tini' ? solve(p.spec, x, sigma, opts) : solve(p.spec, Tini, x, opts);
        return [r.E, r.T];
      };
      const [, tangents] = jvp(outputs, [v.wrt === 'Tini' ? Tini : sigma], [d]);
      return tangents as [Tensor, Tensor];
    };
    const all = vmap(perCase) as (Tini: Tensor, sigma: Tensor, d: Tensor) => [Tensor, Tensor];
    const ran = await runPlanned(p.plan, all, [p.Tini, p.sigma, direction]);
    const [dE, dT] = ran.result;
    checkFiniteResults(p, { jvp_E: dE, jvp_T: dT });
    const files = await writeResults(p, { 'jvp_E.npy': dE, 'jvp_T.npy': dT });
    return {
      command: 'jvp',
      dtype: p.dtype,
      ...ranFields(ran),
      wrt: v.wrt,
      shapes: shapesOf({ Tini: p.Tini, sigma: p.sigma, direction, jvp_E: dE, jvp_T: dT }),
      files,
    };
  },
});
