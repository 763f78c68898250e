/**
 * A worker call that follows its request (the live solve and each live derivative panel): the latest-wins pump
 * (latestWins.ts) with a policy, and when the edit behind the result on screen was made (usePictureMs turns it
 * into edit → picture where it is shown).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { userMessage } from '../model/messages';
import type { SolverClient } from '../worker/client';
import { LatestWinsPump, type PumpPolicy } from './latestWins';

export interface LiveCall<T> {
  result: T | null;
  running: boolean;
  error: string | null;
  /** When the edit (or settings change) behind the result shown was made (performance.now()). */
  from: number | null;
  /** Results shown so far: a new one means the panel was redrawn. */
  generation: number;
  /** For the result shown: edit → call sent to the worker, and edit → result back on this thread (ms). */
  sentMs: number | null;
  receivedMs: number | null;
}

export interface LiveCallControl<T> extends LiveCall<T> {
  /** Cancel the running call and drop the waiting one; true when one was running. */
  stop(): boolean;
}

/**
 * The derivative panels' policy: no debounce, so every live call caused by one edit leaves in the same tick as
 * the solve (the formula editor already debounces typing, and latest-wins keeps fast edits from queueing); a
 * running call always finishes.
 */
export const DERIVATIVE_POLICY: PumpPolicy = { debounceMs: 0 };

/** The client a call runs on (one worker, or a pool that routes by method): what can be cancelled. */
export type CallTarget = Pick<SolverClient, 'cancel'>;

export function useLiveCall<C extends CallTarget, Q, T>(
  client: C,
  request: Q | null,
  call: (client: C, request: Q) => Promise<T>,
  editAt: number,
  policy: PumpPolicy = DERIVATIVE_POLICY,
): LiveCallControl<T> {
  const [state, setState] = useState<LiveCall<T>>({
    result: null,
    running: false,
    error: null,
    from: null,
    generation: 0,
    sentMs: null,
    receivedMs: null,
  });
  const seenEditAt = useRef(editAt);
  const latestEditAt = useRef(editAt);
  latestEditAt.current = editAt;
  const latest = useRef({ client, call });
  latest.current = { client, call };
  const [pump] = useState(
    () =>
      new LatestWinsPump<Q, T>(
        (q) => latest.current.call(latest.current.client, q),
        () => latest.current.client.cancel(),
        policy,
        {
          running: (running) => setState((s) => (s.running === running ? s : { ...s, running })),
          result: (result, t) => {
            setState((s) => ({
              ...s,
              result,
              error: null,
              from: t.from,
              generation: s.generation + 1,
              sentMs: t.sentMs,
              receivedMs: t.receivedMs,
            }));
          },
          error: (e) => setState((s) => ({ ...s, error: userMessage(e) })),
        },
      ),
  );

  useEffect(() => {
    if (request === null) return;
    // from the edit when an edit caused this request, else from now (an objective or direction change)
    const edit = latestEditAt.current;
    const from = edit !== seenEditAt.current ? edit : performance.now();
    seenEditAt.current = edit;
    pump.request(request, from);
    return () => pump.clearTimer();
  }, [pump, request]);

  // one object per state, so a memoised panel given it redraws only when its own call changed
  const stop = useCallback(() => pump.stop(), [pump]);
  return useMemo(() => ({ ...state, stop }), [state, stop]);
}
