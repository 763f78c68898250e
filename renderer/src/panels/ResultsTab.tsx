/** The results tab: the solution's maps and profiles once a solve has finished, "solving…" until then. */
import { useMemo } from 'react';
import type { CaseDef } from '../model/presets';
import { recordTimes } from '../model/results';
import type { SolveResult } from '../worker/api';
import { PanelBoundary } from './PanelBoundary';
import { ResultsPanel } from './ResultsPanel';

interface Props {
  result: SolveResult | null;
  cases: CaseDef[];
  record: number;
  selectedIndex: number;
  hidden: boolean;
  onRecord(r: number): void;
  onRendererKind(kind: string): void;
}

export function ResultsTab({
  result,
  cases,
  record,
  selectedIndex,
  hidden,
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
          />
        ) : (
          <p className="muted">solving…</p>
        )}
      </PanelBoundary>
    </div>
  );
}
