/** New, open and save of session files, with the status-bar message each one leaves. */
import { type Dispatch, useCallback, useState } from 'react';
import { userMessage } from '../model/messages';
import { makeSession, parseSession, type Session, serializeSession } from '../model/session';
import { platform } from '../platform/platform';
import { type Action, initialState } from '../state/store';

export interface SessionFile {
  save(): Promise<void>;
  open(): Promise<void>;
  reset(): void;
  /** What the last save or open did (or why it failed), for the status bar. */
  message: string | null;
}

export function useSessionFile(session: () => Session, dispatch: Dispatch<Action>): SessionFile {
  const [message, setMessage] = useState<string | null>(null);
  const save = useCallback(async () => {
    try {
      await platform.saveFile('session.rte.json', serializeSession(session()));
      setMessage('session saved');
    } catch (e) {
      setMessage(userMessage(e));
    }
  }, [session]);
  const open = useCallback(async () => {
    let name = 'the file';
    try {
      const file = await platform.openFile(['json']);
      if (!file) return;
      name = file.name;
      dispatch({ type: 'load', session: parseSession(new TextDecoder().decode(file.bytes)) });
      setMessage(`opened ${file.name}`);
    } catch (e) {
      setMessage(`${name}: ${userMessage(e)}`);
    }
  }, [dispatch]);
  const reset = useCallback(
    () =>
      dispatch({
        type: 'load',
        session: makeSession(initialState().grid, initialState().cases, initialState().view),
      }),
    [dispatch],
  );
  return { save, open, reset, message };
}
