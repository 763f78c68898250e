/**
 * Re-solve whenever the grid, the cases, the dtype or the solver backend change: debounced, latest request wins (a request made
 * while a solve runs waits and replaces any older waiting one), and edit-to-picture is timed from the edit. A
 * solve still running after STALE_MS when a newer request comes is cancelled (its worker is replaced), so a slow
 * grid never holds the next edit back; `stop()` cancels the running solve by hand.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { userMessage } from '../model/messages';
import type { CaseInputs, DType, GridSpec, SolveResult, SolverBackend } from '../worker/api';
import { CancelledError, type SolverClient } from '../worker/client';

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

interface Request {
  grid: GridSpec;
  cases: CaseInputs[];
  dtype: DType;
  backend: SolverBackend;
  editAt: number;
}

const DEBOUNCE_MS = 10;
export const STALE_MS = 1500;

export function useLiveSolve(
  client: SolverClient,
  grid: GridSpec,
  cases: CaseInputs[] | null,
  dtype: DType,
  backend: SolverBackend,
  editAt: number,
): LiveSolveControl {
  const [state, setState] = useState<LiveSolve>({
    result: null,
    solving: false,
    error: null,
    editToPictureMs: null,
  });
  const running = useRef(false);
  const waiting = useRef<Request | null>(null);
  const shownEditAt = useRef<number | null>(null);
  const startedAt = useRef(0);

  useEffect(() => {
    if (!cases) return;
    const req: Request = { grid, cases, dtype, backend, editAt };
    const timer = setTimeout(() => {
      waiting.current = req;
      if (!running.current) void pump();
      else if (performance.now() - startedAt.current > STALE_MS) client.cancel();
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);

    async function pump(): Promise<void> {
      while (waiting.current) {
        const r = waiting.current;
        waiting.current = null;
        running.current = true;
        startedAt.current = performance.now();
        setState((s) => ({ ...s, solving: true }));
        try {
          const result = await client.call('solve', {
            spec: r.grid,
            cases: r.cases,
            dtype: r.dtype,
            backend: r.backend,
          });
          shownEditAt.current = r.editAt;
          setState((s) => ({ ...s, result, error: null }));
        } catch (e) {
          if (!(e instanceof CancelledError)) setState((s) => ({ ...s, error: userMessage(e) }));
        } finally {
          running.current = false;
        }
      }
      setState((s) => ({ ...s, solving: false }));
    }
  }, [client, grid, cases, dtype, backend, editAt]);

  // The picture is on screen once the frame after the commit that shows the result has been drawn.
  useEffect(() => {
    if (!state.result || shownEditAt.current === null) return;
    const from = shownEditAt.current;
    shownEditAt.current = null;
    const id = requestAnimationFrame(() => {
      setState((s) => ({ ...s, editToPictureMs: performance.now() - from }));
    });
    return () => cancelAnimationFrame(id);
  }, [state.result]);

  const stop = useCallback(() => {
    waiting.current = null;
    if (client.busy) {
      client.cancel();
      setState((s) => ({ ...s, error: 'solve stopped: the picture shows the last finished solve' }));
    }
  }, [client]);

  return { ...state, stop };
}
