/**
 * "Open results…": pick a finished `rte sweep` store folder, list its finished cases with their parameters,
 * and plot the picked case. The folder is read in the browser (a directory upload works in the desktop
 * shell too), only the chunks a case needs.
 */
import { useRef } from 'react';
import { createPortal } from 'react-dom';
import { SweepCaseTable } from './SweepCaseTable';
import { SweepCaseView } from './SweepCaseView';
import { useSweepStore } from './useSweepStore';

export function SweepResults() {
  const input = useRef<HTMLInputElement>(null);
  const { store, error, selected, setSelected, open, close } = useSweepStore();
  const missing = store ? store.attrs.shards - store.done.length : 0;
  return (
    <>
      <button type="button" data-testid="sweep-open-results" onClick={() => input.current?.click()}>
        Open results…
      </button>
      <input
        ref={input}
        type="file"
        hidden
        data-testid="sweep-store-input"
        // a folder picker: Chromium (and Electron) give every file with its path under the folder
        {...{ webkitdirectory: '', directory: '' }}
        onChange={(e) => {
          void open(e.target.files);
          e.target.value = '';
        }}
      />
      {error && (
        <p className="error" data-testid="sweep-store-error">
          {error}
        </p>
      )}
      {store &&
        // on the page itself: the sidebar's scrolling box would clip (and hide from clicks) a fixed dialog
        createPortal(
          <div
            className="modal sweep-results"
            role="dialog"
            aria-label="Sweep results"
            data-testid="sweep-results"
          >
            <h2>Sweep results</h2>
            <p data-testid="sweep-store-summary">
              {store.cases.length} of {store.attrs.cases} cases finished ({store.done.length} of{' '}
              {store.attrs.shards} shards
              {missing > 0 ? `; ${missing} missing: not run yet or still running` : ''}).
            </p>
            <SweepCaseTable store={store} selected={selected} onSelect={setSelected} />
            {selected !== null && <SweepCaseView store={store} index={selected} />}
            <button type="button" data-testid="sweep-results-close" onClick={close}>
              Close
            </button>
          </div>,
          document.body,
        )}
    </>
  );
}
