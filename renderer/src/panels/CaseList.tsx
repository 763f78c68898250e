/** The batch: select, rename, duplicate, remove and add cases; presets and k-sweeps generate several at once. */
import { useState } from 'react';
import { type CaseDef, newId, PRESETS, SEED_SIGMA, SEED_TINI, sweepCases } from '../model/presets';
import { LIMITS } from '../model/session';
import { PALETTE } from '../plots/LinePlot';
import type { Action } from '../state/store';

interface Props {
  cases: CaseDef[];
  selected: string | null;
  /** Why a case cannot be solved, by case id (a Map: ids are user data, never object keys). */
  errors: ReadonlyMap<string, string>;
  dispatch(a: Action): void;
}

export function CaseList({ cases, selected, errors, dispatch }: Props) {
  const [preset, setPreset] = useState(PRESETS[0]!.id);
  const [sweepOpen, setSweepOpen] = useState(false);
  const [sweep, setSweep] = useState({ Tini: SEED_TINI, sigma: SEED_SIGMA, from: '1', to: '4', count: '4' });
  const [sweepError, setSweepError] = useState<string | null>(null);
  const make = () => PRESETS.find((p) => p.id === preset)!.make();

  return (
    <section className="panel cases" aria-label="Cases">
      <h2>Cases ({cases.length})</h2>
      <ul className="case-list" data-testid="case-list">
        {cases.map((c, i) => (
          <li key={c.id} className={c.id === selected ? 'selected' : ''} data-testid="case-item">
            <span className="swatch" style={{ background: PALETTE[i % PALETTE.length] }} />
            <input
              aria-label={`name of case ${i + 1}`}
              data-testid="case-name"
              value={c.name}
              maxLength={LIMITS.caseName}
              onFocus={() => dispatch({ type: 'view', view: { selectedCase: c.id } })}
              onChange={(e) => dispatch({ type: 'renameCase', id: c.id, name: e.target.value })}
            />
            <button
              type="button"
              onClick={() => dispatch({ type: 'view', view: { selectedCase: c.id } })}
              data-testid="case-edit"
            >
              edit
            </button>
            <button
              type="button"
              title="duplicate"
              onClick={() => dispatch({ type: 'duplicateCase', id: c.id })}
              data-testid="case-duplicate"
            >
              dup
            </button>
            <button
              type="button"
              title="remove"
              disabled={cases.length <= 1}
              onClick={() => dispatch({ type: 'removeCase', id: c.id })}
              data-testid="case-remove"
            >
              ✕
            </button>
            {errors.has(c.id) && (
              <span className="error small" data-testid="case-error">
                {errors.get(c.id)}
              </span>
            )}
          </li>
        ))}
      </ul>
      <div className="row">
        <button
          type="button"
          data-testid="case-add"
          onClick={() =>
            dispatch({
              type: 'appendCases',
              cases: [
                {
                  id: newId(),
                  name: `case ${cases.length + 1}`,
                  Tini: { kind: 'formula', text: '1' },
                  sigma: { kind: 'formula', text: '1' },
                },
              ],
            })
          }
        >
          Add case
        </button>
        <select
          data-testid="preset-select"
          value={preset}
          onChange={(e) => setPreset(e.target.value)}
          aria-label="preset"
        >
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          data-testid="preset-replace"
          onClick={() => dispatch({ type: 'replaceCases', cases: make() })}
        >
          Use
        </button>
        <button
          type="button"
          data-testid="preset-append"
          onClick={() => dispatch({ type: 'appendCases', cases: make() })}
        >
          Add
        </button>
        <button type="button" onClick={() => setSweepOpen((o) => !o)} aria-expanded={sweepOpen}>
          Sweep…
        </button>
      </div>
      {sweepOpen && (
        <form
          className="sweep"
          onSubmit={(e) => {
            e.preventDefault();
            const from = Number(sweep.from);
            const to = Number(sweep.to);
            const count = Number(sweep.count);
            if (![from, to].every(Number.isFinite) || !Number.isInteger(count) || count < 1 || count > 64) {
              setSweepError('k from/to must be numbers and the count an integer in 1…64');
              return;
            }
            const made = sweepCases({ Tini: sweep.Tini, sigma: sweep.sigma, from, to, count });
            setSweepError(null);
            dispatch({ type: 'replaceCases', cases: made });
          }}
        >
          <label>
            Tini(x, k){' '}
            <input value={sweep.Tini} onChange={(e) => setSweep({ ...sweep, Tini: e.target.value })} />
          </label>
          <label>
            sigma(x, k){' '}
            <input value={sweep.sigma} onChange={(e) => setSweep({ ...sweep, sigma: e.target.value })} />
          </label>
          <label>
            k from{' '}
            <input
              value={sweep.from}
              onChange={(e) => setSweep({ ...sweep, from: e.target.value })}
              size={4}
            />
          </label>
          <label>
            to{' '}
            <input value={sweep.to} onChange={(e) => setSweep({ ...sweep, to: e.target.value })} size={4} />
          </label>
          <label>
            cases{' '}
            <input
              value={sweep.count}
              onChange={(e) => setSweep({ ...sweep, count: e.target.value })}
              size={3}
            />
          </label>
          <button type="submit">Generate</button>
          {sweepError && <p className="error">{sweepError}</p>}
        </form>
      )}
    </section>
  );
}
