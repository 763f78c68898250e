/**
 * Autosave to localStorage, and a crash marker: the page marks itself dirty on start and clean when it is
 * closed normally, so a dirty marker at start means the last run ended abruptly and its autosave is offered.
 */
import { parseSession, type Session } from '../model/session';

const KEY = 'rte-workbench:autosave';
const MARK = 'rte-workbench:running';

export interface Offer {
  session: Session;
  savedAt: string;
}

/** Call once at start, before the first autosave. */
export function takeRestoreOffer(): Offer | null {
  const crashed = localStorage.getItem(MARK) === 'dirty';
  const text = localStorage.getItem(KEY);
  localStorage.setItem(MARK, 'dirty');
  window.addEventListener('pagehide', () => localStorage.setItem(MARK, 'clean'));
  if (!crashed || !text) return null;
  try {
    const session = parseSession(text);
    return { session, savedAt: session.savedAt };
  } catch {
    return null;
  }
}

export function autosave(session: Session): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(session));
  } catch {
    // storage full or disabled: autosave is a convenience, the session can still be saved to a file
  }
}
