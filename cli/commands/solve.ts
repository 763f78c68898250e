/** `solve`: E and T at every record for a batch of cases. */
import { solveBatch } from '../../core/rte/index';
import { defineCommand, shapesOf, timed } from '../command';
import { writeOutputs } from '../npy-files';
import { prepare, SOLVE_FLAGS } from './common';

export const solveCommand = defineCommand({
  name: 'solve',
  summary: 'Solve every case; writes DIR/E.npy and DIR/T.npy, each [B,R,N].',
  flags: SOLVE_FLAGS,
  run(v) {
    const p = prepare(v);
    const [{ E, T }, seconds] = timed(() =>
      solveBatch(p.spec, p.Tini, p.sigma, { allowUnstable: p.allowUnstable }),
    );
    const files = writeOutputs(p.out, { 'E.npy': E, 'T.npy': T });
    return {
      command: 'solve',
      backend: p.backend,
      dtype: p.dtype,
      seconds,
      shapes: shapesOf({ Tini: p.Tini, sigma: p.sigma, E, T }),
      files,
    };
  },
});
