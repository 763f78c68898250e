/**
 * The eager solve of a batch, record by record, for the paths that can stop early (the CLI's and the
 * workbench's eager solver): the first record holding a non-finite value ends the run with RteOverflowError,
 * located by replaying from the previous record's state (overflow.ts).
 */
import { vmap } from '../api/vmap';
import { fori } from '../control/scan';
import { tensor } from '../ops/creation';
import { cast } from '../ops/elementwise';
import { reshape } from '../ops/shape';
import type { Tensor } from '../tensor/tensor';
import {
  type FloatDType,
  type OverflowSite,
  RteOverflowError,
  replayToOverflow,
  stepOfRecord,
} from './overflow';
import { initialState, makeStep, type RteResult, type RteState } from './solver';
import { type RteSpec, RteSpecError, rteGrid } from './spec';

/**
 * The eager solve of a batch, record by record: it stops at the first record holding a non-finite value and
 * throws RteOverflowError with the step and cell where it began (replayed from the previous record's state).
 * Otherwise the same numbers as solveBatch's eager run. Tini, sigma: [B, N].
 */
export function solveBatchChecked(
  spec: RteSpec,
  Tini: Tensor,
  sigma: Tensor,
  opts: { allowUnstable?: boolean; caseName?: (caseIndex: number) => string } = {},
): RteResult {
  const grid = rteGrid(spec, opts);
  const { N, Nvx, every } = spec;
  const { R } = grid;
  const B = Tini.shape[0]!;
  if (
    Tini.ndim !== 2 ||
    sigma.ndim !== 2 ||
    Tini.shape[1] !== N ||
    sigma.shape[0] !== B ||
    sigma.shape[1] !== N
  )
    throw new RteSpecError(`Tini and sigma must both have shape [B, ${N}]`);
  const dtype: FloatDType = Tini.dtype === 'float64' || sigma.dtype === 'float64' ? 'float64' : 'float32';
  const T0 = cast(Tini, dtype);
  const sig = cast(sigma, dtype);
  const first = vmap((t: Tensor, sg: Tensor) =>
    makeStep(grid, Nvx, sg, dtype)(initialState(grid, Nvx, t, dtype)),
  );
  const advance = vmap((s: RteState, sg: Tensor) => fori(every, makeStep(grid, Nvx, sg, dtype), s));
  const E = new Float64Array(B * R * N);
  const T = new Float64Array(B * R * N);
  let previous: RteState | null = null;
  let s = first(T0, sig) as RteState;
  for (let q = 0; q < R; q++) {
    if (q > 0) [previous, s] = [s, advance(s, sig) as RteState];
    const [e, t] = [s.I0.get(':', '1:-1'), s.T].map((x) => x.concrete('record').data);
    const finite = copyRecord(e!, E, q) && copyRecord(t!, T, q);
    if (!finite) throw overflowAt(q, previous);
  }
  const shape = [B, R, N];
  return {
    E: tensor(E, { shape, dtype }),
    T: tensor(T, { shape, dtype }),
    sigmaRecord: reshape(sig, [B, 1, N]),
  };

  /** Write record q ([B, N]) into out ([B, R, N]); false when a value is not finite. */
  function copyRecord(rec: ArrayLike<number>, out: Float64Array, q: number): boolean {
    let finite = true;
    for (let b = 0; b < B; b++)
      for (let i = 0; i < N; i++) {
        const v = rec[b * N + i]!;
        out[(b * R + q) * N + i] = v;
        if (!Number.isFinite(v)) finite = false;
      }
    return finite;
  }

  /** Replay each case from the last finite record's state (or the start); the earliest site wins. */
  function overflowAt(q: number, previous: RteState | null): RteSpecError {
    const from = q === 0 ? 0 : stepOfRecord(q - 1, every);
    let best: OverflowSite | null = null;
    for (let b = 0; b < B; b++) {
      const state = previous && { I: previous.I.get(b), T: previous.T.get(b), I0: previous.I0.get(b) };
      const site = replayToOverflow(
        { spec, grid, Tini: T0.get(b), sigma: sig.get(b), caseIndex: b, dtype },
        state && { state, step: from },
        stepOfRecord(q, every),
      );
      if (site && (!best || site.step < best.step)) best = site;
    }
    if (best) return new RteOverflowError(best, opts.caseName);
    return new RteSpecError(`overflow: record ${q} holds a non-finite value, but its replay stayed finite`);
  }
}
