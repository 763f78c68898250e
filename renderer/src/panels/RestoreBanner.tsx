/** Offered at start when other windows ended uncleanly (a crash, or a reload that escaped a stuck solve). */
import type { Recoverable } from '../state/autosave';

interface Props {
  offers: Recoverable[];
  onRestore(windowId: string): void;
  onShowAll(): void;
  onDismiss(): void;
}

export function RestoreBanner({ offers, onRestore, onShowAll, onDismiss }: Props) {
  const latest = offers[0];
  if (!latest) return null;
  return (
    <div className="banner" role="alert" data-testid="restore-offer">
      The workbench did not close cleanly. Restore the autosaved session from{' '}
      {new Date(latest.savedAt).toLocaleString()} ({latest.cases} case(s))?
      <button type="button" data-testid="restore-accept" onClick={() => onRestore(latest.windowId)}>
        Restore
      </button>
      {offers.length > 1 && (
        <button type="button" data-testid="restore-all" onClick={onShowAll}>
          {offers.length - 1} more…
        </button>
      )}
      <button type="button" data-testid="restore-dismiss" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
