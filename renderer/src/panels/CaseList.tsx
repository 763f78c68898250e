/** The batch: select, rename, duplicate, remove and add cases; presets and k-sweeps (SweepForm) add several. */
import { useState } from 'react';
import { type CaseDef, newId, PRESETS } from '../model/presets';
import { LIMITS } from '../model/session';
import { PALETTE } from '../plots/LinePlot';
import type { Action } from '../state/store';
import type { GridSpec } from '../worker/api';
import { SweepForm } from './SweepForm';

interface Props {
  cases: CaseDef[];
  grid: GridSpec;
  selected: string | null;
  /** Why a case cannot be solved, by case id (a Map: ids are user data, never object keys). */
  errors: ReadonlyMap<string, string>;
  dispatch(a: Action): void;
}

export function CaseList({ cases, grid, selected, errors, dispatch }: Props) {
  const [preset, setPreset] = useState(PRESETS[0]!.id);
  const [sweepOpen, setSweepOpen] = useState(false);
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
        <SweepForm grid={grid} onGenerate={(made) => dispatch({ type: 'replaceCases', cases: made })} />
      )}
    </section>
  );
}
