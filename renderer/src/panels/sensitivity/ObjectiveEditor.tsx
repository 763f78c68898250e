/** The objective J: its kind and the record, probe or window it reads (clamped to the grid's records). */
import type { Objective } from '../../worker/api';

export function ObjectiveEditor({
  objective,
  R,
  onChange,
}: {
  objective: Objective;
  R: number;
  onChange(o: Objective): void;
}) {
  const rec = 'record' in objective ? objective.record : R - 1;
  const num = (v: string, fallback: number) =>
    Number.isFinite(Number(v)) && v.trim() !== '' ? Number(v) : fallback;
  return (
    <span className="objective">
      <select
        data-testid="objective-kind"
        value={objective.kind}
        onChange={(e) => {
          const k = e.target.value as Objective['kind'];
          if (k === 'sum-final-E') onChange({ kind: k });
          else if (k === 'probe-E') onChange({ kind: k, x0: 0.5, record: R - 1 });
          else if (k === 'window-energy') onChange({ kind: k, a: 0.25, b: 0.75, record: R - 1 });
          else onChange({ kind: k, record: R - 1 });
        }}
      >
        <option value="sum-final-E">Σ E at the final record (the CLI’s sum-final-E)</option>
        <option value="probe-E">E at a probe x₀</option>
        <option value="window-energy">energy ∫E dx in a window</option>
        <option value="mean-T">mean T</option>
      </select>
      {objective.kind === 'probe-E' && (
        <label>
          x₀{' '}
          <input
            size={5}
            defaultValue={objective.x0}
            onChange={(e) => onChange({ ...objective, x0: num(e.target.value, objective.x0) })}
          />
        </label>
      )}
      {objective.kind === 'window-energy' && (
        <>
          <label>
            a{' '}
            <input
              size={5}
              defaultValue={objective.a}
              onChange={(e) => onChange({ ...objective, a: num(e.target.value, objective.a) })}
            />
          </label>
          <label>
            b{' '}
            <input
              size={5}
              defaultValue={objective.b}
              onChange={(e) => onChange({ ...objective, b: num(e.target.value, objective.b) })}
            />
          </label>
        </>
      )}
      {objective.kind !== 'sum-final-E' && (
        <label>
          record{' '}
          <input
            type="number"
            min={0}
            max={R - 1}
            value={Math.min(rec, R - 1)}
            onChange={(e) =>
              onChange({
                ...objective,
                record: Math.min(R - 1, Math.max(0, Math.round(num(e.target.value, rec)))),
              } as Objective)
            }
          />
        </label>
      )}
    </span>
  );
}
