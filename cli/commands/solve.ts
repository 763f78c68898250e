/** `solve`: E and T at every record for a batch of cases. */
import { solveBatch } from '../../core/rte/index';
import type { Tensor } from '../../core/tensor/tensor';
import { BACKEND_NOTES } from '../backend';
import { defineCommand, shapesOf } from '../command';
import { writeOutputs } from '../npy-files';
import { prepare, ranFields, runPlanned, SOLVE_FLAGS } from './common';

export const solveCommand = defineCommand({
  name: 'solve',
  summary: 'Solve every case; writes DIR/E.npy and DIR/T.npy, each [B,R,N].',
  flags: SOLVE_FLAGS,
  notes: BACKEND_NOTES,
  async run(v) {
    const p = prepare(v);
    const opts = { allowUnstable: p.allowUnstable };
    const ran = await runPlanned(
      p.plan,
      (Tini: Tensor, sigma: Tensor) => {
        const { E, T } = solveBatch(p.spec, Tini, sigma, opts);
        return { E, T };
      },
      [p.Tini, p.sigma],
    );
    const { E, T } = ran.result;
    const files = writeOutputs(p.out, { 'E.npy': E, 'T.npy': T });
    return {
      command: 'solve',
      dtype: p.dtype,
      ...ranFields(ran),
      shapes: shapesOf({ Tini: p.Tini, sigma: p.sigma, E, T }),
      files,
    };
  },
});
