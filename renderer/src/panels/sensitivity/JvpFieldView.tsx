/** The jvp field ∂E(x, t)/∂θ of the selected case along the typed direction, beside E(x, t). */
import { useMemo } from 'react';
import type { LiveCall } from '../../hooks/useLiveCall';
import type { DerivSettings } from '../../model/derivSettings';
import { recordTimes } from '../../model/results';
import { rangeOf } from '../../plots/colormap';
import { type Field2D, fieldPng } from '../../plots/field';
import { SpaceTimeMap } from '../../plots/SpaceTimeMap';
import { mapFigureSvg } from '../../plots/svg';
import type { JvpResult } from '../../worker/api';
import { ExportButtons } from '../ExportButtons';
import { memoPanel } from '../memoPanel';
import { LiveNote } from './LiveNote';

interface Props {
  live: LiveCall<JvpResult>;
  /** E(x, t) of the selected case, from the live solve. */
  E: Field2D | null;
  settings: DerivSettings;
  onSettings(s: Partial<DerivSettings>): void;
  error: string | null;
}

export const JvpFieldView = memoPanel(function JvpFieldView({ live, E, settings, onSettings, error }: Props) {
  const jv = live.result;
  const times = useMemo(() => (jv ? recordTimes(jv.spec, jv.grid) : new Float64Array()), [jv]);
  const dE = useMemo(() => (jv ? { rows: jv.R, cols: jv.N, values: jv.dE } : null), [jv]);
  const svg = () => {
    if (!dE) return null;
    const range = rangeOf(dE.values, 'diverging');
    const yRange: [number, number] = [times[0] ?? 0, times.at(-1) ?? 1];
    const image = fieldPng(dE, 'diverging', range);
    return mapFigureSvg({
      title: '∂E(x, t)/∂θ',
      xLabel: 'x',
      yLabel: 't',
      xRange: [0, 1],
      yRange,
      image,
      cmap: 'diverging',
      range,
      valueLabel: '∂E/∂θ',
    });
  };
  return (
    <section data-testid="jvp-section">
      <h3>jvp field ∂E(x, t)/∂θ of the selected case along a direction</h3>
      <div className="row">
        <select
          value={settings.dirField}
          onChange={(e) => onSettings({ dirField: e.target.value as 'sigma' | 'Tini' })}
          aria-label="perturbed input"
        >
          <option value="sigma">δσ(x) =</option>
          <option value="Tini">δTini(x) =</option>
        </select>
        <input
          data-testid="jvp-direction"
          value={settings.dirText}
          onChange={(e) => onSettings({ dirText: e.target.value })}
          spellCheck={false}
          size={30}
        />
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <LiveNote live={live} testId="jvp-live" />
      <div className="maps">
        {dE && (
          <SpaceTimeMap
            testId="map-jvp"
            title="∂E(x, t)/∂θ"
            field={dE}
            times={times}
            cmap="diverging"
            valueLabel="∂E/∂θ"
          >
            <ExportButtons name="jvp-E" testId="export-jvp" getSvg={svg} />
          </SpaceTimeMap>
        )}
        {E && dE && (
          <SpaceTimeMap
            testId="map-jvp-E"
            title="E(x, t), the same case"
            field={E}
            times={times}
            cmap="viridis"
            valueLabel="E"
          />
        )}
      </div>
    </section>
  );
});
