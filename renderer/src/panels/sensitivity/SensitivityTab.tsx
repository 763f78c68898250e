/** The sensitivity tab: the derivative panels for the selected case, beside its solution field E. */
import { useMemo } from 'react';
import type { LiveDerivatives } from '../../hooks/useLiveDerivatives';
import type { DerivSettings } from '../../model/derivSettings';
import type { CaseDef } from '../../model/presets';
import { caseField } from '../../model/results';
import type { View } from '../../model/session';
import type { SolveResult } from '../../worker/api';
import { PanelBoundary } from '../PanelBoundary';
import { SensitivityPanel } from './SensitivityPanel';

interface Props {
  live: LiveDerivatives;
  result: SolveResult | null;
  cases: CaseDef[];
  selectedIndex: number;
  caseName: string;
  view: View;
  onView(v: Partial<View>): void;
  settings: DerivSettings;
  onSettings(s: Partial<DerivSettings>): void;
}

export function SensitivityTab({
  live,
  result,
  cases,
  selectedIndex,
  caseName,
  view,
  onView,
  settings,
  onSettings,
}: Props) {
  const selectedE = useMemo(
    () =>
      result && selectedIndex < result.B
        ? { rows: result.R, cols: result.N, values: caseField(result.E, selectedIndex, result.R, result.N) }
        : null,
    [result, selectedIndex],
  );
  return (
    <PanelBoundary name="sensitivity">
      <SensitivityPanel
        live={live}
        names={cases.map((c) => c.name)}
        caseName={caseName}
        R={result?.R ?? 1}
        E={selectedE}
        view={view}
        onView={onView}
        settings={settings}
        onSettings={onSettings}
      />
    </PanelBoundary>
  );
}
