/** `grad`: the gradient of a scalar objective w.r.t. one input, for every case (vmap of grad). */

import type { Tensor } from '../../core/index';
import { grad, vmap } from '../../core/index';
import { OBJECTIVE_KINDS, type Objective, type ObjectiveKind, objectiveOf } from '../../core/rte/index';
import { BACKEND_NOTES } from '../backend';
import { defineCommand, shapesOf } from '../command';
import { UsageError } from '../errors';
import { type FlagValues, finiteNumber, flag, integer, oneOf } from '../flags';
import { checkFiniteResults, prepare, ranFields, runPlanned, SOLVE_FLAGS, writeResults } from './common';

export const WRT = ['sigma', 'Tini'] as const;
export const argnumOf = (wrt: (typeof WRT)[number]): 0 | 1 => (wrt === 'Tini' ? 0 : 1);

const GRAD_FLAGS = {
  ...SOLVE_FLAGS,
  objective: flag(
    OBJECTIVE_KINDS.join('|'),
    'sum-final-E: Σ E at the last record; probe-E: E at --x0; window-energy: ∫E dx over [--a, --b]; mean-T: mean T',
    oneOf(OBJECTIVE_KINDS),
  ),
  record: flag('R', 'the record the objective reads (0-based; -1 = last, the default)', integer.optional()),
  x0: flag('X', 'probe-E: the probe position in [0, 1]', finiteNumber.optional()),
  a: flag('A', 'window-energy: the window start', finiteNumber.optional()),
  b: flag('B', 'window-energy: the window end', finiteNumber.optional()),
  wrt: flag('sigma|Tini', 'the input to differentiate with respect to', oneOf(WRT)),
};

export const gradCommand = defineCommand({
  name: 'grad',
  summary: 'Gradient of an objective for every case; writes DIR/grad.npy [B,N].',
  flags: GRAD_FLAGS,
  notes: BACKEND_NOTES,
  async run(v) {
    const chosen = objectiveFrom(v);
    const p = prepare(v, { kind: 'grad', files: ['grad.npy'] });
    const objective = objectiveOf(p.spec, chosen, { allowUnstable: p.allowUnstable });
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
      ...(chosen.kind === 'sum-final-E' ? {} : { objective_args: chosen }),
      wrt: v.wrt,
      shapes: shapesOf({ Tini: p.Tini, sigma: p.sigma, grad: g }),
      files,
    };
  },
});

/** Which of the objective's own flags each kind reads. */
const READS: Record<ObjectiveKind, readonly ('record' | 'x0' | 'a' | 'b')[]> = {
  'sum-final-E': [],
  'probe-E': ['x0', 'record'],
  'window-energy': ['a', 'b', 'record'],
  'mean-T': ['record'],
};

/** The objective the flags describe; a flag it needs but lacks, or one it does not read, is a usage error. */
export function objectiveFrom(v: FlagValues<typeof GRAD_FLAGS>): Objective {
  const reads = READS[v.objective];
  const unread = (['record', 'x0', 'a', 'b'] as const).filter(
    (n) => v[n] !== undefined && !reads.includes(n),
  );
  if (unread.length)
    throw new UsageError(`grad: --objective ${v.objective} does not read --${unread.join(', --')}`);
  const need = (name: 'x0' | 'a' | 'b'): number => {
    const x = v[name];
    if (x === undefined) throw new UsageError(`grad: --objective ${v.objective} needs --${name}`);
    return x;
  };
  const record = v.record ?? -1;
  switch (v.objective) {
    case 'sum-final-E':
      return { kind: 'sum-final-E' };
    case 'probe-E':
      return { kind: 'probe-E', x0: need('x0'), record };
    case 'window-energy':
      return { kind: 'window-energy', a: need('a'), b: need('b'), record };
    case 'mean-T':
      return { kind: 'mean-T', record };
  }
}
