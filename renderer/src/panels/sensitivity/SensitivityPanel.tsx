/**
 * Live sensitivity on the solution's own grid: the gradient of J for every case, the jvp field of the selected
 * case, and the θ-hessian — each recomputed (compiled) after every edit.
 */
import type { LiveDerivatives } from '../../hooks/useLiveDerivatives';
import type { DerivSettings } from '../../model/derivSettings';
import type { View } from '../../model/session';
import type { Field2D } from '../../plots/field';
import type { DType } from '../../worker/api';
import { GradientCurves } from './GradientCurves';
import { HessianView } from './HessianView';
import { JvpFieldView } from './JvpFieldView';
import { ObjectiveEditor } from './ObjectiveEditor';
import { OverlayToggles } from './OverlayToggles';

interface Props {
  live: LiveDerivatives;
  names: string[];
  caseName: string;
  /** Records on the current grid. */
  R: number;
  E: Field2D | null;
  view: View;
  onView(v: Partial<View>): void;
  settings: DerivSettings;
  onSettings(s: Partial<DerivSettings>): void;
}

export function SensitivityPanel({ live, names, caseName, R, E, view, onView, settings, onSettings }: Props) {
  return (
    <section className="deriv" aria-label="Sensitivity" data-testid="sensitivity-panel">
      <div className="row">
        <span>Objective J:</span>
        <ObjectiveEditor objective={view.objective} R={R} onChange={(objective) => onView({ objective })} />
        <label>
          dtype{' '}
          <select
            data-testid="deriv-dtype"
            value={settings.dtype}
            onChange={(e) => onSettings({ dtype: e.target.value as DType })}
          >
            <option value="float64">float64 (reference accuracy)</option>
            <option value="float32">float32</option>
          </select>
        </label>
        <OverlayToggles settings={settings} onSettings={onSettings} />
      </div>
      <p className="note">
        On the solution’s grid, compiled, recomputed after every edit. The jvp field and the hessian are for
        the selected case, {caseName}.
      </p>
      <GradientCurves live={live.grad} names={names} objective={view.objective} />
      <JvpFieldView
        live={live.jvp}
        E={E}
        settings={settings}
        onSettings={onSettings}
        error={live.directionError}
      />
      <HessianView live={live.hessian} settings={settings} onSettings={onSettings} error={live.thetaError} />
    </section>
  );
}
