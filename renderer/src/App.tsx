/** The workbench: editors on the left, results and derivative panels on the right, status at the bottom. */
import { useCallback, useEffect, useMemo, useReducer, useState } from 'react';
import { flushSync } from 'react-dom';
import { useAutosave } from './hooks/useAutosave';
import { derivativeStatus, useLiveDerivatives } from './hooks/useLiveDerivatives';
import { useLiveSolve } from './hooks/useLiveSolve';
import { writeNpy } from './io/npy';
import { checkSamplingBudget } from './model/budget';
import { DEFAULT_DERIV_SETTINGS, type DerivSettings } from './model/derivSettings';
import { userMessage } from './model/messages';
import { sampleProfile } from './model/profile';
import { caseField, recordTimes } from './model/results';
import { makeSession, parseSession, serializeSession } from './model/session';
import { AboutDialog } from './panels/AboutDialog';
import { AutosaveNotices } from './panels/AutosaveNotices';
import { CaseList } from './panels/CaseList';
import { GridEditor } from './panels/GridEditor';
import { SparsityPanel } from './panels/jacobian/SparsityPanel';
import { PanelBoundary } from './panels/PanelBoundary';
import { ProfileEditor } from './panels/ProfileEditor';
import { ResultsPanel } from './panels/ResultsPanel';
import { SessionBar, type Tab } from './panels/SessionBar';
import { StatusBar } from './panels/StatusBar';
import { GradientUnderEditor } from './panels/sensitivity/GradientUnderEditor';
import { SensitivityPanel } from './panels/sensitivity/SensitivityPanel';
import { platform } from './platform/platform';
import { initialState, reducer } from './state/store';
import type { CaseInputs } from './worker/api';
import { SolverClient } from './worker/client';
import { DERIVATIVE_LANES, SolverPool } from './worker/pool';

export function App() {
  const [about, setAbout] = useState(false);
  const [clients] = useState(() => ({
    live: new SolverClient('live solve'),
    aux: new SolverClient('grid checks'),
    deriv: new SolverPool('derivatives', DERIVATIVE_LANES, (label) => new SolverClient(label)),
    dense: new SolverClient('dense Jacobian'),
  }));
  const [derivSettings, setDerivSettings] = useState<DerivSettings>(DEFAULT_DERIV_SETTINGS);
  const [state, dispatch] = useReducer(reducer, undefined, initialState);
  const [tab, setTab] = useState<Tab>('results');
  const [recoverOpen, setRecoverOpen] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [mapRenderer, setMapRenderer] = useState('');
  const { grid, cases, view } = state;

  // Sample every case on the grid; a case that cannot be sampled stops the solve and says why. Sampling runs
  // on this thread, so a grid over the budget (from a session file, say) is refused before it starts.
  const sampled = useMemo(() => {
    const errors = new Map<string, string>();
    const over = checkSamplingBudget(grid.N, cases.length);
    if (over) return { inputs: null, errors, batchError: over };
    const inputs: CaseInputs[] = [];
    for (const c of cases) {
      try {
        inputs.push({
          Tini: sampleProfile(c.Tini, grid.N, 'Tini'),
          sigma: sampleProfile(c.sigma, grid.N, 'sigma'),
        });
      } catch (e) {
        errors.set(c.id, userMessage(e));
      }
    }
    return { inputs: errors.size ? null : inputs, errors, batchError: null };
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

  // Derivative panels: live, on the solution's own grid, while their tab is open.
  const deriv = useLiveDerivatives({
    pool: clients.deriv,
    grid,
    cases: sampled.inputs,
    selected: selectedIndex,
    view,
    settings: derivSettings,
    editAt: state.editAt,
    open: tab === 'sensitivity' ? 'sensitivity' : tab === 'sparsity' ? 'jacobian' : null,
  });
  const selectedE = useMemo(
    () =>
      result && selectedIndex < result.B
        ? { rows: result.R, cols: result.N, values: caseField(result.E, selectedIndex, result.R, result.N) }
        : null,
    [result, selectedIndex],
  );
  const onDerivSettings = useCallback(
    (p: Partial<DerivSettings>) => setDerivSettings((d) => ({ ...d, ...p })),
    [],
  );

  const session = useCallback(() => makeSession(grid, cases, view), [grid, cases, view]);
  const saved = useAutosave(session, live.solving);

  const onView = useCallback((v: Partial<typeof view>) => dispatch({ type: 'view', view: v }), []);
  const onRecord = useCallback((record: number) => dispatch({ type: 'view', view: { record } }), []);
  const onGrid = useCallback((g: typeof grid) => dispatch({ type: 'grid', grid: g }), []);

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
        else if (cmd === 'export-figure') {
          // the results tab skips redraws while hidden: show it (committed now) so the figure is the current one
          flushSync(() => setTab('results'));
          document.querySelector<HTMLButtonElement>('[data-testid="export-map-E-png"]')?.click();
        }
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
        onRecover={saved.autosave ? () => setRecoverOpen(true) : undefined}
      />
      {about && <AboutDialog client={clients.aux} onClose={() => setAbout(false)} />}
      <AutosaveNotices
        saved={saved}
        recoverOpen={recoverOpen}
        setRecoverOpen={setRecoverOpen}
        onLoad={(session) => dispatch({ type: 'load', session })}
      />
      <aside className="sidebar">
        <PanelBoundary name="grid">
          <GridEditor
            grid={grid}
            cases={cases.length}
            dtype={view.dtype}
            client={clients.aux}
            onGrid={onGrid}
            backend={view.backend}
            onDtype={(dtype) => onView({ dtype })}
            onBackend={(backend) => onView({ backend })}
          />
        </PanelBoundary>
        <PanelBoundary name="cases">
          <CaseList
            cases={cases}
            grid={grid}
            selected={selected.id}
            errors={sampled.errors}
            dispatch={dispatch}
          />
        </PanelBoundary>
        <PanelBoundary name="case editor" key={selected.id}>
          <section className="panel" aria-label="Selected case">
            <h2>Case “{selected.name}”</h2>
            <ProfileEditor key={`${selected.id}-Tini`} kase={selected} field="Tini" dispatch={dispatch} />
            <ProfileEditor key={`${selected.id}-sigma`} kase={selected} field="sigma" dispatch={dispatch} />
            {derivSettings.overlay && <GradientUnderEditor live={deriv.grad} selected={selectedIndex} />}
          </section>
        </PanelBoundary>
      </aside>
      <main className="main">
        {(sampled.batchError ?? live.error) && (
          <p className="error" role="alert" data-testid="solve-error">
            {sampled.batchError ?? live.error}
          </p>
        )}
        <div hidden={tab !== 'results'}>
          <PanelBoundary name="results">
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
                visible={tab === 'results'}
                shadeE={derivSettings.shadeE ? (deriv.jvp.result?.dE ?? null) : null}
              />
            ) : (
              <p className="muted">solving…</p>
            )}
          </PanelBoundary>
        </div>
        {tab === 'sensitivity' && (
          <PanelBoundary name="sensitivity">
            <SensitivityPanel
              live={deriv}
              names={cases.map((c) => c.name)}
              caseName={selected.name}
              R={result?.R ?? 1}
              E={selectedE}
              view={view}
              onView={onView}
              settings={derivSettings}
              onSettings={onDerivSettings}
            />
          </PanelBoundary>
        )}
        {tab === 'sparsity' && (
          <PanelBoundary name="Jacobian sparsity">
            <SparsityPanel
              live={deriv.jacobian}
              denseClient={clients.dense}
              spec={grid}
              R={result?.R ?? 1}
              inputs={sampled.inputs?.[selectedIndex] ?? null}
              caseName={selected.name}
              dtype={derivSettings.dtype}
              view={view}
              onView={onView}
            />
          </PanelBoundary>
        )}
      </main>
      <StatusBar
        result={result}
        solving={live.solving}
        editToPictureMs={live.editToPictureMs}
        renderer={mapRenderer}
        message={message}
        onStop={live.stop}
        derivatives={derivativeStatus(deriv)}
      />
    </div>
  );
}
