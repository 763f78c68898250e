/**
 * The seed's solver written with core ops only, so every transform applies to it: discrete ordinates, upwind
 * transport with one circular ghost cell per side, coupled material temperature. The time loop is two nested
 * `scan`s (records × steps-per-record), so vmap, jvp and checkpointed reverse mode see it as one primitive.
 */

import { vmap } from '../api/vmap';
import { fori, scan } from '../control/scan';
import { cast } from '../ops/elementwise';
import { gaussLegendre } from '../ops/gauss';
import { matmul } from '../ops/linalg';
import { cat, pad, reshape } from '../ops/shape';
import type { DType } from '../tensor/dtype';
import { fmt } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { type RteGrid, type RteSpec, RteSpecError, rteGrid } from './spec';

export interface SolveOptions {
  /** Checkpoints for reverse mode, per loop level (default ~√length each); 1 disables checkpointing. */
  checkpoints?: number;
  allowUnstable?: boolean;
  /**
   * 'scan' (default): the time loop is one primitive (checkpointed reverse mode, compiled as a loop).
   * 'unrolled': a plain JS loop of ops, as the seed's PyTorch code runs: reverse mode then keeps every step's
   * residuals (the baseline that checkpointing is measured against).
   */
  loop?: 'scan' | 'unrolled';
  /** Compute only the first `records` records (a Jacobian of record 4 need not run to t_end). */
  records?: number;
}

export interface RteResult {
  /** Radiative energy w·I at each record: [R, N] (or [B, R, N] batched). */
  E: Tensor;
  /** Material temperature at each record: [R, N] (or [B, R, N]). */
  T: Tensor;
  /** sigma as recorded by the seed: [1, N] (or [B, 1, N]). */
  sigmaRecord: Tensor;
}

/** The solver's state between steps (exported within core/rte for the eager replays of overflow.ts). */
export interface RteState {
  I: Tensor; // [Nvx, N+2] with circular ghosts
  T: Tensor; // [N]
  I0: Tensor; // [N+2]
}
type State = RteState;

function checkInput(name: string, x: Tensor, N: number): void {
  if (x.ndim !== 1 || x.shape[0] !== N)
    throw new RteSpecError(`${name} must have shape [${N}] for one case (got ${fmt(x.shape)})`);
  if (x.dtype !== 'float64' && x.dtype !== 'float32')
    throw new RteSpecError(`${name} must be float64 or float32 (got ${x.dtype})`);
}

/** One case: Tini [N], sigma [N] → E, T [R, N]. */
export function solve(spec: RteSpec, Tini: Tensor, sigma: Tensor, opts: SolveOptions = {}): RteResult {
  const g = rteGrid(spec, opts);
  const { N, Nvx, every } = spec;
  const R = opts.records ?? g.R;
  if (!Number.isInteger(R) || R < 1 || R > g.R)
    throw new RteSpecError(`records must be an integer in 1..${g.R} on this grid (got ${opts.records})`);
  checkInput('Tini', Tini, N);
  checkInput('sigma', sigma, N);
  const dtype: DType = Tini.dtype === 'float64' || sigma.dtype === 'float64' ? 'float64' : 'float32';
  const T0 = cast(Tini, dtype);
  const sig = cast(sigma, dtype);
  const step = makeStep(g, Nvx, sig, dtype);
  const start = initialState(g, Nvx, T0, dtype);
  const record = stateRecord;

  // Step 0 is always recorded; then R-1 blocks of `every` steps, each ending in a record. Steps after the
  // last record cannot change any output, so they are not run.
  const first = step(start);
  const rest =
    opts.loop === 'unrolled' ? unrolledRecords(step, record, first, R - 1, every) : scannedRecords();
  function scannedRecords(): [Tensor, Tensor] {
    return scan(
      (s: State) => {
        const next = fori(every, step, s, { checkpoints: opts.checkpoints });
        return [next, record(next)];
      },
      first,
      null,
      { length: R - 1, checkpoints: opts.checkpoints },
    )[1];
  }
  const [E0, T0rec] = record(first);
  const E = cat([reshape(E0, [1, N]), rest[0]], 0);
  const T = cat([reshape(T0rec, [1, N]), rest[1]], 0);
  return { E, T, sigmaRecord: reshape(sig, [1, N]) };
}

/** The state before the first step (step 0): the intensity in equilibrium with T0 in every direction. */
export function initialState(g: RteGrid, Nvx: number, T0: Tensor, dtype: DType): RteState {
  const I0rows = T0.pow(4)
    .mul(0.5 * g.a * g.c)
    .repeat(Nvx, 1);
  const I = pad(I0rows, [1, 1], 'circular');
  const { weights } = gaussLegendre(Nvx, { dtype });
  return { I, T: T0, I0: matmul(weights, I) };
}

/** What a record holds of a state: [E (the cells of I0), T]. */
export const stateRecord = (s: RteState) => [s.I0.get('1:-1'), s.T] as [Tensor, Tensor];

/** The records after the first, by a plain loop: [E [R', N], T [R', N]]. */
function unrolledRecords(
  step: (s: State) => State,
  record: (s: State) => [Tensor, Tensor],
  first: State,
  count: number,
  every: number,
): [Tensor, Tensor] {
  let s = first;
  const Es: Tensor[] = [];
  const Ts: Tensor[] = [];
  for (let r = 0; r < count; r++) {
    for (let k = 0; k < every; k++) s = step(s);
    const [e, t] = record(s);
    Es.push(reshape(e, [1, ...e.shape]));
    Ts.push(reshape(t, [1, ...t.shape]));
  }
  const empty = reshape(first.T, [1, -1]).get(':0');
  return [Es.length ? cat(Es, 0) : empty, Ts.length ? cat(Ts, 0) : empty];
}

/** The update of one time step, exactly as the reference states it (operation order included). */
export function makeStep(g: RteGrid, Nvx: number, sigma: Tensor, dtype: DType) {
  const half = Nvx / 2;
  const { nodes: mu, weights: w } = gaussLegendre(Nvx, { dtype });
  const muNeg = reshape(mu.get(`:${half}`), [half, 1]);
  const muPos = reshape(mu.get(`${half}:`), [half, 1]);
  const { dt, dx, a, c, cv } = g;
  // dt·sigma multiplies every direction: the seed repeats it Nvx/2 times; broadcasting gives the same numbers.
  const dtSigma = sigma.mul(dt);
  return (s: State): State => {
    const Iout = s.I;
    const T4 = s.T.pow(4);
    const source = T4.mul(0.5 * a * c);
    const centre = (rows: string) => Iout.get(rows, '1:-1');
    const relax = (rows: string) => dtSigma.mul(source.sub(centre(rows)));
    // negative directions look right (i+1), positive directions look left (i-1)
    const neg = centre(`:${half}`)
      .sub(muNeg.mul(dt / dx).mul(Iout.get(`:${half}`, '2:').sub(centre(`:${half}`))))
      .add(relax(`:${half}`));
    const pos = centre(`${half}:`)
      .sub(muPos.mul(dt / dx).mul(centre(`${half}:`).sub(Iout.get(`${half}:`, ':-2'))))
      .add(relax(`${half}:`));
    const I = pad(cat([neg, pos], 0), [1, 1], 'circular');
    const T = s.T.add(sigma.mul(dt / cv).mul(s.I0.get('1:-1').sub(T4.mul(a * c))));
    return { I, T, I0: matmul(w, I) };
  };
}

/** A batch of cases: Tini, sigma [B, N] → E, T [B, R, N] (vmap of solve). */
export function solveBatch(spec: RteSpec, Tini: Tensor, sigma: Tensor, opts: SolveOptions = {}): RteResult {
  for (const [name, x] of [
    ['Tini', Tini],
    ['sigma', sigma],
  ] as const)
    if (x.ndim !== 2 || x.shape[1] !== spec.N)
      throw new RteSpecError(`${name} must have shape [B, ${spec.N}] (got ${fmt(x.shape)})`);
  if (Tini.shape[0] !== sigma.shape[0])
    throw new RteSpecError(
      `Tini and sigma must hold the same number of cases (got ${Tini.shape[0]} and ${sigma.shape[0]})`,
    );
  return vmap((t: Tensor, s: Tensor) => solve(spec, t, s, opts))(Tini, sigma);
}
