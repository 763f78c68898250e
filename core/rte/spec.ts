/** The problem specification of the 1-D gray RTE and its derived grid, with validation that names the problem. */

export interface RteSpec {
  /** Number of cells. */
  N: number;
  /** Number of discrete ordinates (even: half go left, half go right). */
  Nvx: number;
  /** dt / dx. The upwind scheme is stable for CFL ≤ 1. */
  CFL: number;
  tEnd: number;
  /** Record E and T after every `every`-th step (steps 0, every, 2·every, ...). */
  every: number;
  a?: number;
  c?: number;
  cv?: number;
  /** Domain length (periodic). */
  L?: number;
}

export interface RteGrid {
  dx: number;
  dt: number;
  /** Number of time steps: int(tEnd / dt). */
  Nt: number;
  /** Number of records. */
  R: number;
  a: number;
  c: number;
  cv: number;
  L: number;
}

/** A run longer than this is a typo, not a simulation: refuse it instead of looping for days. */
export const MAX_STEPS = 100_000_000;

export class RteSpecError extends Error {
  override name = 'RteSpecError';
}

const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
const isPosFinite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** Check a spec; throws RteSpecError with one sentence per problem. */
export function rteGrid(spec: RteSpec, opts: { allowUnstable?: boolean } = {}): RteGrid {
  const problems: string[] = [];
  const { N, Nvx, CFL, tEnd, every } = spec;
  const { a = 1, c = 1, cv = 1, L = 1 } = spec;
  if (!isPosInt(N) || N < 3) problems.push(`N must be an integer ≥ 3 (got ${N})`);
  if (!isPosInt(Nvx) || Nvx % 2 !== 0)
    problems.push(`Nvx must be a positive even integer: half the ordinates go left, half right (got ${Nvx})`);
  if (!isPosFinite(CFL)) problems.push(`CFL must be a positive number (got ${CFL})`);
  else if (CFL > 1 && !opts.allowUnstable)
    problems.push(`CFL = ${CFL} > 1 is unstable for this upwind scheme (allow it explicitly to run anyway)`);
  if (!isPosFinite(tEnd)) problems.push(`t_end must be a positive number (got ${tEnd})`);
  if (!isPosInt(every))
    problems.push(`every (the record interval) must be a positive integer (got ${every})`);
  for (const [k, v] of Object.entries({ a, c, cv, L }))
    if (!isPosFinite(v)) problems.push(`${k} must be a positive number (got ${v})`);
  if (problems.length) throw new RteSpecError(problems.join('; '));
  const dx = L / N;
  const dt = CFL * dx;
  const Nt = Math.trunc(tEnd / dt);
  if (!Number.isSafeInteger(Nt) || Nt > MAX_STEPS)
    throw new RteSpecError(
      `t_end / dt = ${tEnd / dt} time steps is more than this solver runs (at most ${MAX_STEPS}); lower t_end or raise CFL`,
    );
  if (Nt < 1)
    throw new RteSpecError(
      `t_end = ${tEnd} is shorter than one time step (dt = ${dt}); nothing would be recorded`,
    );
  return { dx, dt, Nt, R: Math.floor((Nt - 1) / every) + 1, a, c, cv, L };
}

/** Cell centres, computed as torch.arange(0.5·dx, L + 0.5·dx, dx) does: 0.5·dx + i·dx. */
export function cellCentres(N: number, L = 1): Float64Array {
  const dx = L / N;
  return Float64Array.from({ length: N }, (_, i) => 0.5 * dx + i * dx);
}
