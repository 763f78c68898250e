/**
 * This window's autosave: written 400 ms after the session changes (not before the first change, so a fresh
 * page never writes over anything), ended on pagehide — as `busy` when a solve had been running for over a
 * second, so a reload that escapes a stuck solve is offered back — and the offers of windows that ended
 * uncleanly.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Session } from '../model/session';
import { type Autosave, openAutosave, type Recoverable } from '../state/autosave';

const LONG_SOLVE_MS = 1000;

export interface AutosaveState {
  autosave: Autosave | null;
  /** Gone windows that ended uncleanly, newest first. */
  offers: Recoverable[];
  /** Why the last autosave failed (storage full), until one succeeds. */
  error: string | null;
  clearOffers(): void;
}

export function useAutosave(session: () => Session, solving: boolean): AutosaveState {
  const [autosave, setAutosave] = useState<Autosave | null>(null);
  const [offers, setOffers] = useState<Recoverable[]>([]);
  const [error, setError] = useState<string | null>(null);
  const startedWith = useRef<string | null>(null);
  const solvingSince = useRef<number | null>(null);

  useEffect(() => {
    solvingSince.current = solving ? performance.now() : null;
  }, [solving]);

  useEffect(() => {
    let live = true;
    void openAutosave().then((a) => {
      if (!live) return;
      setAutosave(a);
      setOffers(a.offers());
    });
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    if (!autosave) return;
    const onHide = () => {
      const since = solvingSince.current;
      autosave.end(since !== null && performance.now() - since > LONG_SOLVE_MS);
    };
    window.addEventListener('pagehide', onHide);
    return () => window.removeEventListener('pagehide', onHide);
  }, [autosave]);

  useEffect(() => {
    if (!autosave) return;
    const t = setTimeout(() => {
      const s = session();
      const key = JSON.stringify({ ...s, savedAt: '' });
      if (startedWith.current === null) startedWith.current = key;
      if (key === startedWith.current) return;
      startedWith.current = ''; // changed once: from now on every state is saved
      const r = autosave.save(s);
      setError(r.ok ? null : r.message);
    }, 400);
    return () => clearTimeout(t);
  }, [autosave, session]);

  const clearOffers = useCallback(() => setOffers([]), []);
  return { autosave, offers, error, clearOffers };
}
