/** The finished cases of a sweep store, one row each with its parameters; a click picks one. */
import type { SweepStore } from '../../io/sweep-store';

interface Props {
  store: SweepStore;
  selected: number | null;
  onSelect(index: number): void;
}

export function SweepCaseTable({ store, selected, onSelect }: Props) {
  return (
    <div className="sweep-cases">
      <table data-testid="sweep-cases">
        <thead>
          <tr>
            <th>case</th>
            {store.attrs.params.map((p) => (
              <th key={p}>{p}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {store.cases.map((c) => (
            <tr
              key={c.index}
              data-testid={`sweep-case-${c.index}`}
              aria-selected={c.index === selected}
              className={c.index === selected ? 'selected' : undefined}
              onClick={() => onSelect(c.index)}
            >
              <td>{c.index}</td>
              {c.params.map((v, i) => (
                <td key={store.attrs.params[i]}>{String(Number(v.toPrecision(6)))}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
