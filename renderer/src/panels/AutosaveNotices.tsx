/** What the autosave has to say: sessions to restore (banner and Recover… list) and a storage that is full. */
import type { AutosaveState } from '../hooks/useAutosave';
import type { Session } from '../model/session';
import { RecoverDialog } from './RecoverDialog';
import { RestoreBanner } from './RestoreBanner';

interface Props {
  saved: AutosaveState;
  recoverOpen: boolean;
  setRecoverOpen(open: boolean): void;
  onLoad(session: Session): void;
}

export function AutosaveNotices({ saved, recoverOpen, setRecoverOpen, onLoad }: Props) {
  const { autosave, offers } = saved;
  const dismissOffers = () => {
    autosave?.dismiss(offers.map((o) => o.windowId));
    saved.clearOffers();
  };
  return (
    <>
      {recoverOpen && autosave && (
        <RecoverDialog
          autosave={autosave}
          onRestore={(session) => {
            onLoad(session);
            dismissOffers();
          }}
          onClose={() => setRecoverOpen(false)}
        />
      )}
      <RestoreBanner
        offers={offers}
        onRestore={(id) => {
          const restored = autosave?.take(id);
          if (restored) onLoad(restored);
          dismissOffers();
        }}
        onShowAll={() => setRecoverOpen(true)}
        onDismiss={dismissOffers}
      />
      {saved.error && (
        <p className="banner error" role="alert" data-testid="autosave-error">
          {saved.error}
        </p>
      )}
    </>
  );
}
