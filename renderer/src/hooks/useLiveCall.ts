/**
 * A worker call that follows its request like the live solve: debounced, the latest request wins (one made while
 * a call runs waits and replaces any older waiting one, so superseded requests never start), and the time from
 * the edit that caused it to the frame that shows its result is measured.
 */
import { useEffect, useRef, useState } from 'react';
import { CancelledError, type SolverClient } from '../worker/client';

export interface LiveCall<T> {
  result: T | null;
  running: boolean;
  error: string | null;
  /** Edit (or settings change) → result on screen, for the result shown. */
  editMs: number | null;
  /** Results shown so far: a new one means the panel was redrawn. */
  generation: number;
  /** For the result shown: edit → call sent to the worker, and edit → result back on this thread (ms). */
  sentMs: number | null;
  receivedMs: number | null;
}

const DEBOUNCE_MS = 10;

export function useLiveCall<Q, T>(
  client: SolverClient,
  request: Q | null,
  call: (client: SolverClient, request: Q) => Promise<T>,
  editAt: number,
): LiveCall<T> {
  const [state, setState] = useState<LiveCall<T>>({
    result: null,
    running: false,
    error: null,
    editMs: null,
    generation: 0,
    sentMs: null,
    receivedMs: null,
  });
  const running = useRef(false);
  const waiting = useRef<{ request: Q; from: number } | null>(null);
  const shownFrom = useRef<number | null>(null);
  const seenEditAt = useRef(editAt);
  const latestEditAt = useRef(editAt);
  latestEditAt.current = editAt;
  const callRef = useRef(call);
  callRef.current = call;

  useEffect(() => {
    if (request === null) return;
    // from the edit when an edit caused this request, else from now (an objective or direction change)
    const edit = latestEditAt.current;
    const from = edit !== seenEditAt.current ? edit : performance.now();
    seenEditAt.current = edit;
    const timer = setTimeout(() => {
      waiting.current = { request, from };
      if (!running.current) void pump();
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);

    async function pump(): Promise<void> {
      while (waiting.current) {
        const w = waiting.current;
        waiting.current = null;
        running.current = true;
        setState((s) => ({ ...s, running: true }));
        try {
          const sentMs = performance.now() - w.from;
          const result = await callRef.current(client, w.request);
          const receivedMs = performance.now() - w.from;
          shownFrom.current = w.from;
          setState((s) => ({
            ...s,
            result,
            error: null,
            editMs: null,
            generation: s.generation + 1,
            sentMs,
            receivedMs,
          }));
        } catch (e) {
          if (!(e instanceof CancelledError)) setState((s) => ({ ...s, error: (e as Error).message }));
        } finally {
          running.current = false;
        }
      }
      setState((s) => ({ ...s, running: false }));
    }
  }, [client, request]);

  useEffect(() => {
    if (!state.result || shownFrom.current === null) return;
    const from = shownFrom.current;
    shownFrom.current = null;
    const id = requestAnimationFrame(() => setState((s) => ({ ...s, editMs: performance.now() - from })));
    return () => cancelAnimationFrame(id);
  }, [state.result]);

  return state;
}
