/** The 2×2 hessian of J w.r.t. the amplitude and phase of σ's modulation around the edited σ, with eigenvalues. */
import type { LiveCall } from '../../hooks/useLiveCall';
import type { DerivSettings } from '../../model/derivSettings';
import { formatValue } from '../../plots/colormap';
import type { HessianResult } from '../../worker/api';
import { memoPanel } from '../memoPanel';
import { LiveNote } from './LiveNote';

interface Props {
  live: LiveCall<HessianResult>;
  settings: DerivSettings;
  onSettings(s: Partial<DerivSettings>): void;
  error: string | null;
}

export const HessianView = memoPanel(function HessianView({ live, settings, onSettings, error }: Props) {
  const t = settings.theta;
  const input = (key: keyof typeof t, label: string, size: number) => (
    <label>
      {label}{' '}
      <input
        size={size}
        data-testid={`theta-${key}`}
        value={t[key]}
        onChange={(e) => onSettings({ theta: { ...t, [key]: e.target.value } })}
      />
    </label>
  );
  return (
    <section data-testid="hessian-section">
      <h3>Hessian w.r.t. θ of σ(x; θ) = σ(x) · s(x; θ)/s(x; θ*), s = θ₀(1 + d·sin(2πx + θ₁)), at θ = θ*</h3>
      <div className="row">
        {input('amp', 'θ₀*', 8)}
        {input('phase', 'θ₁*', 8)}
        {input('depth', 'd', 5)}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <LiveNote live={live} testId="hessian-live" />
      {live.result && <HessianTable h={live.result} />}
    </section>
  );
});

function HessianTable({ h }: { h: HessianResult }) {
  const max = Math.max(...h.hessian.map(Math.abs)) || 1;
  const cell = (k: 0 | 1 | 2 | 3) => {
    const v = h.hessian[k];
    const a = (Math.abs(v) / max) * 0.5;
    const background = v >= 0 ? `rgba(178, 24, 43, ${a})` : `rgba(33, 102, 172, ${a})`;
    return <td style={{ background }}>{formatValue(v)}</td>;
  };
  return (
    <table className="hessian" data-testid="hessian-table">
      <caption>
        J = {formatValue(h.value)}, ∇θJ = ({formatValue(h.grad[0])}, {formatValue(h.grad[1])})
      </caption>
      <thead>
        <tr>
          <th />
          <th>{h.names[0]}</th>
          <th>{h.names[1]}</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th>{h.names[0]}</th>
          {cell(0)}
          {cell(1)}
        </tr>
        <tr>
          <th>{h.names[1]}</th>
          {cell(2)}
          {cell(3)}
        </tr>
      </tbody>
      <tfoot>
        <tr>
          <th>eigenvalues</th>
          <td data-testid="hessian-eig-0">{formatValue(h.eigenvalues[0])}</td>
          <td data-testid="hessian-eig-1">{formatValue(h.eigenvalues[1])}</td>
        </tr>
      </tfoot>
    </table>
  );
}
