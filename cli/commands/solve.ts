/** `solve`: E and T at every record for a batch of cases. */

import type { Tensor } from '../../core/index';
import { vmap } from '../../core/index';
import { solve, solveBatchChecked } from '../../core/rte/index';
import { BACKEND_NOTES } from '../backend';
import { defineCommand, shapesOf } from '../command';
import { checkFiniteResults, prepare, ranFields, runPlanned, SOLVE_FLAGS, writeResults } from './common';

export const solveCommand = defineCommand({
  name: 'solve',
  summary: 'Solve every case; writes DIR/E.npy and DIR/T.npy, each [B,R,N].',
  flags: SOLVE_FLAGS,
  notes: BACKEND_NOTES,
  async run(v) {
    const p = prepare(v, { kind: 'solve', files: ['E.npy', 'T.npy'] });
    const opts = { allowUnstable: p.allowUnstable };
    // a vmapped function: a compiled backend can split a batch too big for its buffers into chunks
    const solveAll = vmap((Tini: Tensor, sigma: Tensor) => {
      const { E, T } = solve(p.spec, Tini, sigma, opts);
      return { E, T };
    });
    // eagerly, record by record: an overflow stops the run at the record where it shows
    const ran =
      p.plan.kind === 'eager'
        ? await runPlanned(
            p.plan,
            (Tini: Tensor, sigma: Tensor) => solveBatchChecked(p.spec, Tini, sigma, opts),
            [p.Tini, p.sigma],
          )
        : await runPlanned(p.plan, solveAll, [p.Tini, p.sigma]);
    const { E, T } = ran.result;
    checkFiniteResults(p, { E, T });
    const files = await writeResults(p, { 'E.npy': E, 'T.npy': T });
    return {
      command: 'solve',
      dtype: p.dtype,
      ...ranFields(ran),
      shapes: shapesOf({ Tini: p.Tini, sigma: p.sigma, E, T }),
      files,
    };
  },
});
