/** The left column: grid settings, the batch of cases, and the selected case's profile editors. */
import type { Dispatch } from 'react';
import type { LiveCall } from '../hooks/useLiveCall';
import type { CaseDef } from '../model/presets';
import type { View } from '../model/session';
import type { Action } from '../state/store';
import type { GradResult, GridSpec } from '../worker/api';
import type { SolverClient } from '../worker/client';
import { CaseList } from './CaseList';
import { GridEditor } from './GridEditor';
import { PanelBoundary } from './PanelBoundary';
import { ProfileEditor } from './ProfileEditor';
import { GradientUnderEditor } from './sensitivity/GradientUnderEditor';

interface Props {
  grid: GridSpec;
  cases: CaseDef[];
  view: View;
  selected: CaseDef;
  selectedIndex: number;
  /** Why a case cannot be sampled, by case id. */
  errors: ReadonlyMap<string, string>;
  client: SolverClient;
  /** The gradient drawn under the profile editors, or null when the overlay is off. */
  overlay: LiveCall<GradResult> | null;
  dispatch: Dispatch<Action>;
  /** Stable across renders: the grid editor's validation effect depends on it. */
  onGrid(grid: GridSpec): void;
  onView(v: Partial<View>): void;
}

export function EditorSidebar(p: Props) {
  const { grid, cases, view, selected, dispatch } = p;
  return (
    <aside className="sidebar">
      <PanelBoundary name="grid">
        <GridEditor
          grid={grid}
          cases={cases.length}
          dtype={view.dtype}
          client={p.client}
          onGrid={p.onGrid}
          backend={view.backend}
          onDtype={(dtype) => p.onView({ dtype })}
          onBackend={(backend) => p.onView({ backend })}
        />
      </PanelBoundary>
      <PanelBoundary name="cases">
        <CaseList cases={cases} grid={grid} selected={selected.id} errors={p.errors} dispatch={dispatch} />
      </PanelBoundary>
      <PanelBoundary name="case editor" key={selected.id}>
        <section className="panel" aria-label="Selected case">
          <h2>Case “{selected.name}”</h2>
          <ProfileEditor key={`${selected.id}-Tini`} kase={selected} field="Tini" dispatch={dispatch} />
          <ProfileEditor key={`${selected.id}-sigma`} kase={selected} field="sigma" dispatch={dispatch} />
          {p.overlay && <GradientUnderEditor live={p.overlay} selected={p.selectedIndex} />}
        </section>
      </PanelBoundary>
    </aside>
  );
}
