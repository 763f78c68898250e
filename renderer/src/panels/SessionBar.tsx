/** Session and app-level actions (the desktop app has the same in its File menu). */
interface Props {
  onNew(): void;
  onOpen(): void;
  onSave(): void;
  tab: Tab;
  onTab(t: Tab): void;
  onAbout(): void;
  /** Lists autosaved sessions of other windows; absent until the autosave is ready. */
  onRecover?: () => void;
}

export type Tab = 'results' | 'sensitivity' | 'sparsity';

const TABS: { id: Tab; label: string }[] = [
  { id: 'results', label: 'Results' },
  { id: 'sensitivity', label: 'Sensitivity' },
  { id: 'sparsity', label: 'Jacobian sparsity' },
];

export function SessionBar({ onNew, onOpen, onSave, tab, onTab, onAbout, onRecover }: Props) {
  return (
    <header className="topbar">
      <h1>RTE Workbench</h1>
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            data-testid={`tab-${t.id}`}
            onClick={() => onTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <span className="spacer" />
      <button type="button" data-testid="session-new" onClick={onNew}>
        New
      </button>
      <button type="button" data-testid="session-open" onClick={onOpen}>
        Open session…
      </button>
      <button type="button" data-testid="session-save" onClick={onSave}>
        Save session
      </button>
      <button type="button" data-testid="session-recover" onClick={onRecover} disabled={!onRecover}>
        Recover…
      </button>
      <button type="button" data-testid="about-open" onClick={onAbout} title="Help: versions and engines">
        About
      </button>
    </header>
  );
}
