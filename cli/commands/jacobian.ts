/** `jacobian`: the N×N Jacobian of one record of E or T w.r.t. one input, for one case. */

import { z } from 'zod';
import { type RecordChoice, recordOf, resolveRecord } from '../../core/rte/index';
import type { Tensor } from '../../core/tensor/tensor';
import { defineCommand, shapesOf, timed } from '../command';
import { UsageError } from '../errors';
import { flag, oneOf } from '../flags';
import { JACOBIAN_MODES, jacobianMode, MODE_NAMES } from '../jacobian-modes/index';
import { writeOutputs } from '../npy-files';
import { prepare, SOLVE_FLAGS } from './common';
import { argnumOf, WRT } from './grad';

const recordChoice = z
  .string()
  .trim()
  .regex(/^(final|\d+)$/, "must be 'final' or a record index 0, 1, ...")
  .transform((s): RecordChoice => (s === 'final' ? 'final' : Number(s)));
const caseIndex = z.string().trim().regex(/^\d+$/, 'must be a case index 0, 1, ...').transform(Number);

export const jacobianCommand = defineCommand({
  name: 'jacobian',
  summary: 'Jacobian of one record of E or T for one case; writes DIR/jacobian.npy [N,N].',
  flags: {
    ...SOLVE_FLAGS,
    output: flag('E|T', 'the output to differentiate', oneOf(['E', 'T'])),
    record: flag('final|R', "which record: 'final' or an index 0..R-1", recordChoice),
    wrt: flag('sigma|Tini', 'the input to differentiate with respect to', oneOf(WRT)),
    case: flag('I', 'which case (row of the inputs), 0..B-1', caseIndex),
    mode: flag(
      MODE_NAMES.join('|'),
      JACOBIAN_MODES.map((m) => m.help).join('; '),
      oneOf(MODE_NAMES).default('fwd'),
    ),
  },
  run(v) {
    const p = prepare(v);
    const opts = { allowUnstable: p.allowUnstable };
    const record = resolveRecord(p.spec, v.record, opts);
    if (v.case >= p.B)
      throw new UsageError(
        `--case ${v.case} is out of range: the inputs hold ${p.B} case(s) (0..${p.B - 1})`,
      );
    const Tini = p.Tini.get(v.case);
    const sigma = p.sigma.get(v.case);
    const out = recordOf(p.spec, v.output, record, opts);
    const f = argnumOf(v.wrt) === 0 ? (x: Tensor) => out(x, sigma) : (x: Tensor) => out(Tini, x);
    const mode = jacobianMode(v.mode);
    const [{ jacobian, report }, seconds] = timed(() =>
      mode.jacobian(f, argnumOf(v.wrt) === 0 ? Tini : sigma),
    );
    const files = writeOutputs(p.out, { 'jacobian.npy': jacobian });
    return {
      command: 'jacobian',
      backend: p.backend,
      dtype: p.dtype,
      seconds,
      output: v.output,
      record,
      wrt: v.wrt,
      case: v.case,
      mode: mode.name,
      ...report,
      shapes: shapesOf({ Tini: p.Tini, sigma: p.sigma, jacobian }),
      files,
    };
  },
});
