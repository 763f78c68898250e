/** The workbench: editors on the left, results and derivative panels on the right, status at the bottom. */
import { useCallback, useEffect, useMemo, useReducer, useState } from 'react';
import { useLiveSolve } from './hooks/useLiveSolve';
import { writeNpy } from './io/npy';
import { sampleProfile } from './model/profile';
import { recordTimes } from './model/results';
import { makeSession, parseSession } from './model/session';
import { AboutDialog } from './panels/AboutDialog';
import { CaseList } from './panels/CaseList';
import { GridEditor } from './panels/GridEditor';
import { ProfileEditor } from './panels/ProfileEditor';
import { ResultsPanel } from './panels/ResultsPanel';
import { SensitivityPanel } from './panels/SensitivityPanel';
import { SessionBar, type Tab } from './panels/SessionBar';
import { SparsityPanel } from './panels/SparsityPanel';
import { StatusBar } from './panels/StatusBar';
import { platform } from './platform/platform';
import { autosave, type Offer, takeRestoreOffer } from './state/autosave';
import { initialState, reducer } from './state/store';
import type { CaseInputs, GridInfo } from './worker/api';
import { SolverClient } from './worker/client';

export function App() {
  const [about, setAbout] = useState(false);
  const [clients] = useState(() => ({
    live: new SolverClient('live solve'),
    aux: new SolverClient('grid checks'),
    deriv: new SolverClient('derivatives'),
  }));
  const [state, dispatch] = useReducer(reducer, undefined, initialState);
  const [tab, setTab] = useState<Tab>('results');
  const [offer, setOffer] = useState<Offer | null>(() => takeRestoreOffer());
  const [message, setMessage] = useState<string | null>(null);
  const [mapRenderer, setMapRenderer] = useState('');
  const { grid, cases, view } = state;

  // Sample every case on the grid; a case that cannot be sampled stops the solve and says why.
  const sampled = useMemo(() => {
    const errors: Record<string, string> = {};
    const inputs: CaseInputs[] = [];
    for (const c of cases) {
      try {
        inputs.push({
          Tini: sampleProfile(c.Tini, grid.N, 'Tini'),
          sigma: sampleProfile(c.sigma, grid.N, 'sigma'),
        });
      } catch (e) {
        errors[c.id] = (e as Error).message;
      }
    }
    return { inputs: Object.keys(errors).length ? null : inputs, errors };
  }, [cases, grid.N]);

  const live = useLiveSolve(clients.live, grid, sampled.inputs, view.dtype, view.backend, state.editAt);
  const result = live.result;
  const times = useMemo(
    () => (result ? recordTimes(result.spec, result.grid) : new Float64Array()),
    [result],
  );
  const selectedIndex = Math.max(
    0,
    cases.findIndex((c) => c.id === view.selectedCase),
  );
  const selected = cases[selectedIndex]!;

  // Derivative panels: the selected case on the coarser derivative grid.
  const derivSpec = useMemo(() => ({ ...grid, N: view.derivN }), [grid, view.derivN]);
  const [derivGrid, setDerivGrid] = useState<GridInfo | null>(null);
  useEffect(() => {
    void clients.aux.call('validate', derivSpec).then((r) => setDerivGrid(r.ok ? r.grid : null));
  }, [clients, derivSpec]);
  const derivInputs = useMemo(() => {
    try {
      return {
        Tini: sampleProfile(selected.Tini, view.derivN, 'Tini'),
        sigma: sampleProfile(selected.sigma, view.derivN, 'sigma'),
      };
    } catch {
      return null;
    }
  }, [selected, view.derivN]);

  const session = useCallback(() => makeSession(grid, cases, view), [grid, cases, view]);
  useEffect(() => {
    const t = setTimeout(() => autosave(session()), 400);
    return () => clearTimeout(t);
  }, [session]);

  const onView = useCallback((v: Partial<typeof view>) => dispatch({ type: 'view', view: v }), []);
  const onRecord = useCallback((record: number) => dispatch({ type: 'view', view: { record } }), []);
  const onGrid = useCallback((g: typeof grid) => dispatch({ type: 'grid', grid: g }), []);

  const save = useCallback(async () => {
    await platform.saveFile('session.rte.json', `${JSON.stringify(session(), null, 2)}\n`);
    setMessage('session saved');
  }, [session]);
  const open = useCallback(async () => {
    const file = await platform.openFile(['json']);
    if (!file) return;
    try {
      dispatch({ type: 'load', session: parseSession(new TextDecoder().decode(file.bytes)) });
      setMessage(`opened ${file.name}`);
    } catch (e) {
      setMessage(`${file.name}: ${(e as Error).message}`);
    }
  }, []);
  const reset = useCallback(
    () =>
      dispatch({
        type: 'load',
        session: makeSession(initialState().grid, initialState().cases, initialState().view),
      }),
    [],
  );

  useEffect(
    () =>
      platform.onMenu((cmd) => {
        if (cmd === 'new') reset();
        else if (cmd === 'open-session') void open();
        else if (cmd === 'save-session' || cmd === 'save-session-as') void save();
        else if (cmd === 'export-data' && result)
          void platform.saveFile('E.npy', writeNpy(result.E, [result.B, result.R, result.N]));
        else if (cmd === 'export-figure')
          document.querySelector<HTMLButtonElement>('[data-testid="export-map-E-png"]')?.click();
      }),
    [open, save, reset, result],
  );

  return (
    <div className="app">
      <SessionBar
        onNew={reset}
        onOpen={() => void open()}
        onSave={() => void save()}
        tab={tab}
        onTab={setTab}
        onAbout={() => setAbout(true)}
      />
      {about && <AboutDialog client={clients.aux} onClose={() => setAbout(false)} />}
      {offer && (
        <div className="banner" role="alert" data-testid="restore-offer">
          The workbench did not close cleanly. Restore the autosaved session from{' '}
          {new Date(offer.savedAt).toLocaleString()}?
          <button
            type="button"
            data-testid="restore-accept"
            onClick={() => {
              dispatch({ type: 'load', session: offer.session });
              setOffer(null);
            }}
          >
            Restore
          </button>
          <button type="button" data-testid="restore-dismiss" onClick={() => setOffer(null)}>
            Dismiss
          </button>
        </div>
      )}
      <aside className="sidebar">
        <GridEditor
          grid={grid}
          dtype={view.dtype}
          client={clients.aux}
          onGrid={onGrid}
          backend={view.backend}
          onDtype={(dtype) => onView({ dtype })}
          onBackend={(backend) => onView({ backend })}
        />
        <CaseList
          cases={cases}
          grid={grid}
          selected={selected.id}
          errors={sampled.errors}
          dispatch={dispatch}
        />
        <section className="panel" aria-label="Selected case">
          <h2>Case “{selected.name}”</h2>
          <ProfileEditor key={`${selected.id}-Tini`} kase={selected} field="Tini" dispatch={dispatch} />
          <ProfileEditor key={`${selected.id}-sigma`} kase={selected} field="sigma" dispatch={dispatch} />
        </section>
      </aside>
      <main className="main">
        {live.error && (
          <p className="error" role="alert" data-testid="solve-error">
            {live.error}
          </p>
        )}
        <div hidden={tab !== 'results'}>
          {result ? (
            <ResultsPanel
              result={result}
              cases={cases}
              spec={result.spec}
              times={times}
              record={view.record}
              selectedIndex={selectedIndex}
              onRecord={onRecord}
              onRendererKind={setMapRenderer}
            />
          ) : (
            <p className="muted">solving…</p>
          )}
        </div>
        {tab === 'sensitivity' && (
          <SensitivityPanel
            client={clients.deriv}
            spec={derivSpec}
            grid={derivGrid}
            inputs={derivInputs}
            caseName={selected.name}
            view={view}
            onView={onView}
          />
        )}
        {tab === 'sparsity' && (
          <SparsityPanel
            client={clients.deriv}
            spec={derivSpec}
            inputs={derivInputs}
            caseName={selected.name}
            view={view}
            onView={onView}
          />
        )}
      </main>
      <StatusBar
        result={result}
        solving={live.solving}
        editToPictureMs={live.editToPictureMs}
        renderer={mapRenderer}
        message={message}
      />
    </div>
  );
}
