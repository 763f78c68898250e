/**
 * Re-solve whenever the grid, the cases, the dtype or the solver backend change: the live call's pump
 * (latest request wins) with one more rule — a solve still running after STALE_MS when a newer
 * request comes is cancelled (its worker is replaced), so a slow grid never holds the next edit back;
 * `stop()` cancels the running solve by hand.
 */
import { useCallback, useMemo, useState } from 'react';
import type { CaseInputs, DType, GridSpec, SolveResult, SolverBackend } from '../worker/api';
import type { SolverClient } from '../worker/client';
import type { PumpPolicy } from './latestWins';
import { useLiveCall } from './useLiveCall';
import { usePictureMs } from './usePictureMs';

export interface LiveSolve {
  result: SolveResult | null;
  solving: boolean;
  error: string | null;
  /** Edit → results on screen, for the solve now shown. */
  editToPictureMs: number | null;
}

export interface LiveSolveControl extends LiveSolve {
  /** Cancel the running solve (and any waiting one); what is on screen stays. */
  stop(): void;
}

export const STALE_MS = 1500;
// sent in the commit that made the request, with the derivatives' requests of the same edit
const SOLVE_POLICY: PumpPolicy = { debounceMs: 0, staleMs: STALE_MS };
const STOPPED = 'solve stopped: the picture shows the last finished solve';

export function useLiveSolve(
  client: SolverClient,
  grid: GridSpec,
  cases: CaseInputs[] | null,
  dtype: DType,
  backend: SolverBackend,
  editAt: number,
): LiveSolveControl {
  const request = useMemo(
    () => (cases ? { spec: grid, cases, dtype, backend } : null),
    [grid, cases, dtype, backend],
  );
  const live = useLiveCall(client, request, (c, q) => c.call('solve', q), editAt, SOLVE_POLICY);
  const editToPictureMs = usePictureMs(live.from, live.generation);
  // the generation on screen when the user stopped: the note stays until a newer solve is shown
  const [stoppedAt, setStoppedAt] = useState<number | null>(null);
  const { stop: stopCall, generation } = live;
  const stop = useCallback(() => {
    if (stopCall()) setStoppedAt(generation);
  }, [stopCall, generation]);
  return {
    result: live.result,
    solving: live.running,
    error: stoppedAt === live.generation ? STOPPED : live.error,
    editToPictureMs,
    stop,
  };
}
