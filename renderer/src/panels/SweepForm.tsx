/**
 * The Sweep… form: generate cases for k in [from, to] here, export the same sweep as an `rte sweep` spec, or
 * open a finished sweep's store to browse its cases.
 */
import { useState } from 'react';
import { type CaseDef, SEED_SIGMA, SEED_TINI, type Sweep, sweepCases } from '../model/presets';
import { sweepSpecText } from '../model/sweep-spec';
import { platform } from '../platform/platform';
import type { GridSpec } from '../worker/api';
import { SweepResults } from './sweep-results/SweepResults';

interface Props {
  grid: GridSpec;
  onGenerate(cases: CaseDef[]): void;
}

export function SweepForm({ grid, onGenerate }: Props) {
  const [form, setForm] = useState({ Tini: SEED_TINI, sigma: SEED_SIGMA, from: '1', to: '4', count: '4' });
  const [error, setError] = useState<string | null>(null);
  const sweep = (): Sweep => ({
    ...form,
    from: Number(form.from),
    to: Number(form.to),
    count: Number(form.count),
  });
  const field = (key: keyof typeof form, label: string, size?: number) => (
    <label>
      {label}{' '}
      <input value={form[key]} size={size} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
    </label>
  );
  const exportSpec = async () => {
    const spec = sweepSpecText(grid, sweep());
    setError(spec.ok ? null : spec.error);
    if (spec.ok) await platform.saveFile('sweep.json', spec.text);
  };

  return (
    <form
      className="sweep"
      onSubmit={(e) => {
        e.preventDefault();
        const s = sweep();
        if (
          ![s.from, s.to].every(Number.isFinite) ||
          !Number.isInteger(s.count) ||
          s.count < 1 ||
          s.count > 64
        ) {
          setError('k from/to must be numbers and the count an integer in 1…64');
          return;
        }
        setError(null);
        onGenerate(sweepCases(s));
      }}
    >
      {field('Tini', 'Tini(x, k)')}
      {field('sigma', 'sigma(x, k)')}
      {field('from', 'k from', 4)}
      {field('to', 'to', 4)}
      {field('count', 'cases', 3)}
      <button type="submit">Generate</button>
      <button type="button" data-testid="sweep-export" onClick={() => void exportSpec()}>
        Export spec…
      </button>
      <SweepResults />
      {error && <p className="error">{error}</p>}
    </form>
  );
}
