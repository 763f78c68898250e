/** The results tab: the solution's maps and profiles once a solve has finished, "solving…" until then. */
import { useMemo } from 'react';
import type { CaseDef } from '../model/presets';
import { recordTimes } from '../model/results';
import type { PainterKind } from '../plots/painters';
import type { SolveResult } from '../worker/api';
import { PanelBoundary } from './PanelBoundary';
import { ResultsPanel } from './ResultsPanel';

interface Props {
  result: SolveResult | null;
  cases: CaseDef[];
  record: number;
  selectedIndex: number;
  hidden: boolean;
  /** The selected case's jvp field ∂E/∂θ to shade E(x,t) by (null: no shading). */
  shadeE: Float64Array | null;
  onRecord(r: number): void;
  onRendererKind(kind: PainterKind): void;
}

export function ResultsTab({
  result,
  cases,
  record,
  selectedIndex,
  hidden,
  shadeE,
  onRecord,
  onRendererKind,
}: Props) {
  const times = useMemo(
    () => (result ? recordTimes(result.spec, result.grid) : new Float64Array()),
    [result],
  );
  return (
    <div hidden={hidden}>
      <PanelBoundary name="results">
        {result ? (
          <ResultsPanel
            result={result}
            cases={cases}
            spec={result.spec}
            times={times}
            record={record}
            selectedIndex={selectedIndex}
            onRecord={onRecord}
            onRendererKind={onRendererKind}
            visible={!hidden}
            shadeE={shadeE}
          />
        ) : (
          <p className="muted">solving…</p>
        )}
      </PanelBoundary>
    </div>
  );
}
