/** Autosaved sessions of other windows (closed, crashed, or reloaded while stuck): restore or discard each. */
import { useEffect, useState } from 'react';
import type { Session } from '../model/session';
import type { Autosave, Recoverable } from '../state/autosave';

interface Props {
  autosave: Autosave;
  onRestore(session: Session): void;
  onClose(): void;
}

export function RecoverDialog({ autosave, onRestore, onClose }: Props) {
  const [items, setItems] = useState<Recoverable[] | null>(null);
  const reload = () => void autosave.refresh().then(() => setItems(autosave.list()));
  useEffect(reload, [autosave]);
  return (
    <div className="modal" role="dialog" aria-label="Recover autosaved sessions" data-testid="recover">
      <h2>Autosaved sessions</h2>
      {items?.length === 0 && <p className="muted">No autosaved session of another window.</p>}
      <ul>
        {items?.map((r) => (
          <li key={r.windowId} data-testid="recover-item">
            {new Date(r.savedAt).toLocaleString()} — {r.cases} case(s), “{r.firstCase.slice(0, 40)}”
            {r.unclean ? ' (did not close cleanly)' : ''}{' '}
            <button
              type="button"
              data-testid="recover-restore"
              onClick={() => {
                const s = autosave.take(r.windowId);
                if (s) onRestore(s);
                onClose();
              }}
            >
              Restore
            </button>
            <button
              type="button"
              data-testid="recover-discard"
              onClick={() => {
                autosave.discard(r.windowId);
                reload();
              }}
            >
              Discard
            </button>
          </li>
        ))}
      </ul>
      <button type="button" data-testid="recover-close" onClick={onClose}>
        Close
      </button>
    </div>
  );
}
