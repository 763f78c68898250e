/** The workbench: editors on the left, results and derivative panels on the right, status at the bottom. */
import { useCallback, useReducer, useState } from 'react';
import { useAutosave } from './hooks/useAutosave';
import { derivativeStatus, useLiveDerivatives } from './hooks/useLiveDerivatives';
import { useLiveSolve } from './hooks/useLiveSolve';
import { useMenuCommands } from './hooks/useMenuCommands';
import { useSampledCases } from './hooks/useSampledCases';
import { useSessionFile } from './hooks/useSessionFile';
import { useSolverClients } from './hooks/useSolverClients';
import { DEFAULT_DERIV_SETTINGS, type DerivSettings } from './model/derivSettings';
import { makeSession, type View } from './model/session';
import { AboutDialog } from './panels/AboutDialog';
import { AutosaveNotices } from './panels/AutosaveNotices';
import { EditorSidebar } from './panels/EditorSidebar';
import { SparsityPanel } from './panels/jacobian/SparsityPanel';
import { PanelBoundary } from './panels/PanelBoundary';
import { ResultsTab } from './panels/ResultsTab';
import { SessionBar, type Tab } from './panels/SessionBar';
import { StatusBar } from './panels/StatusBar';
import { SensitivityTab } from './panels/sensitivity/SensitivityTab';
import { describePainter, type PainterKind, painterChoiceFromQuery } from './plots/painters';
import { MapPainterContext } from './plots/SpaceTimeMap';
import { initialState, reducer } from './state/store';
import type { GridSpec } from './worker/api';

export function App() {
  const [about, setAbout] = useState(false);
  const clients = useSolverClients();
  const [derivSettings, setDerivSettings] = useState<DerivSettings>(DEFAULT_DERIV_SETTINGS);
  const [state, dispatch] = useReducer(reducer, undefined, initialState);
  const [tab, setTab] = useState<Tab>('results');
  const [recoverOpen, setRecoverOpen] = useState(false);
  const [mapRenderer, setMapRenderer] = useState<PainterKind | ''>('');
  // web mode may ask for a painter (?maps=webgl); the desktop app's URL has no query
  const [maps] = useState(() => painterChoiceFromQuery(window.location.search));
  const { grid, cases, view } = state;

  const sampled = useSampledCases(cases, grid.N);
  const live = useLiveSolve(clients.live, grid, sampled.inputs, view.dtype, view.backend, state.editAt);
  const result = live.result;
  const selectedIndex = Math.max(
    0,
    cases.findIndex((c) => c.id === view.selectedCase),
  );
  // the reducer never leaves the batch empty, so the index always names a case
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
  const onDerivSettings = useCallback(
    (p: Partial<DerivSettings>) => setDerivSettings((d) => ({ ...d, ...p })),
    [],
  );

  const session = useCallback(() => makeSession(grid, cases, view), [grid, cases, view]);
  const saved = useAutosave(session, live.solving);
  const file = useSessionFile(session, dispatch);
  const showResults = useCallback(() => setTab('results'), []);
  useMenuCommands(file, result, showResults);

  const onView = useCallback((v: Partial<View>) => dispatch({ type: 'view', view: v }), []);
  const onRecord = useCallback((record: number) => dispatch({ type: 'view', view: { record } }), []);
  const onGrid = useCallback((g: GridSpec) => dispatch({ type: 'grid', grid: g }), []);

  return (
    <MapPainterContext.Provider value={maps.choice}>
      <div className="app">
        <SessionBar
          onNew={file.reset}
          onOpen={() => void file.open()}
          onSave={() => void file.save()}
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
        <EditorSidebar
          grid={grid}
          cases={cases}
          view={view}
          selected={selected}
          selectedIndex={selectedIndex}
          errors={sampled.errors}
          client={clients.aux}
          overlay={derivSettings.overlay ? deriv.grad : null}
          dispatch={dispatch}
          onGrid={onGrid}
          onView={onView}
        />
        <main className="main">
          {(sampled.batchError ?? live.error) && (
            <p className="error" role="alert" data-testid="solve-error">
              {sampled.batchError ?? live.error}
            </p>
          )}
          <ResultsTab
            result={result}
            cases={cases}
            record={view.record}
            selectedIndex={selectedIndex}
            hidden={tab !== 'results'}
            shadeE={derivSettings.shadeE ? (deriv.jvp.result?.dE ?? null) : null}
            onRecord={onRecord}
            onRendererKind={setMapRenderer}
          />
          {tab === 'sensitivity' && (
            <SensitivityTab
              live={deriv}
              result={result}
              cases={cases}
              selectedIndex={selectedIndex}
              caseName={selected.name}
              view={view}
              onView={onView}
              settings={derivSettings}
              onSettings={onDerivSettings}
            />
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
          renderer={describePainter(mapRenderer, maps)}
          message={file.message}
          onStop={live.stop}
          derivatives={derivativeStatus(deriv)}
        />
      </div>
    </MapPainterContext.Provider>
  );
}
