/**
 * The grid: five fields validated by core (through the worker) and sized by core against the workbench's live
 * limits; only a valid grid that fits reaches the solver.
 */
import { useEffect, useState } from 'react';
import { useBlockedBackends } from '../hooks/useBlockedBackends';
import { liveSolveProblem } from '../model/budget';
import {
  BACKEND_LABELS,
  type DType,
  type GridInfo,
  type GridSpec,
  SOLVER_BACKENDS,
  type SolverBackend,
} from '../worker/api';
import type { SolverClient } from '../worker/client';

const FIELDS: { key: keyof GridSpec; label: string; hint: string }[] = [
  { key: 'N', label: 'N', hint: 'cells' },
  { key: 'Nvx', label: 'Nvx', hint: 'ordinates (even)' },
  { key: 'CFL', label: 'CFL', hint: 'dt/dx, ≤ 1' },
  { key: 'tEnd', label: 't_end', hint: 'end time' },
  { key: 'every', label: 'every', hint: 'record interval (steps)' },
];

interface Props {
  grid: GridSpec;
  /** Cases in the batch: the budget is for all of them. */
  cases: number;
  dtype: DType;
  backend: SolverBackend;
  client: SolverClient;
  onGrid(grid: GridSpec): void;
  onDtype(d: DType): void;
  onBackend(b: SolverBackend): void;
}

export function GridEditor({ grid, cases, dtype, backend, client, onGrid, onDtype, onBackend }: Props) {
  const [text, setText] = useState<Record<keyof GridSpec, string>>(() => toText(grid));
  const [info, setInfo] = useState<GridInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const blocked = useBlockedBackends(client);

  // A grid loaded from a session replaces what is typed.
  useEffect(() => setText(toText(grid)), [grid]);

  useEffect(() => {
    let live = true;
    const parsed = Object.fromEntries(
      FIELDS.map((f) => [f.key, text[f.key].trim() === '' ? Number.NaN : Number(text[f.key])]),
    ) as unknown as GridSpec;
    const timer = setTimeout(async () => {
      const res = await client.call('validate', parsed);
      if (!live) return;
      const over = res.ok && liveSolveProblem(parsed, cases, { eager: backend === 'eager' });
      if (over) setError(over);
      else if (res.ok) {
        setError(null);
        setInfo(res.grid);
        if (FIELDS.some((f) => parsed[f.key] !== grid[f.key])) onGrid(parsed);
      } else setError(res.message);
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text, client, grid, onGrid, cases, backend]);

  return (
    <section className="panel grid-editor" aria-label="Grid">
      <h2>Grid</h2>
      <div className="grid-fields">
        {FIELDS.map((f) => (
          <label key={f.key} title={f.hint}>
            <span>{f.label}</span>
            <input
              data-testid={`grid-${f.key}`}
              inputMode="decimal"
              value={text[f.key]}
              aria-invalid={error ? true : undefined}
              onChange={(e) => setText((t) => ({ ...t, [f.key]: e.target.value }))}
            />
          </label>
        ))}
        <label title="engine of the live solve: compiled to gpu.js kernels with jit (float32; auto picks the fastest available), or core's eager reference path (uncompiled, in the dtype chosen)">
          <span>solver</span>
          <select
            data-testid="grid-backend"
            value={backend}
            onChange={(e) => onBackend(e.target.value as SolverBackend)}
          >
            {SOLVER_BACKENDS.map((b) => (
              <option key={b} value={b} disabled={blocked.has(b)} title={blocked.get(b)}>
                {BACKEND_LABELS[b]}
                {blocked.has(b) ? ' — not available here' : ''}
              </option>
            ))}
          </select>
        </label>
        <label title="floating-point precision of the eager solver and of the derivative panels (compiled solves are float32)">
          <span>dtype</span>
          <select data-testid="grid-dtype" value={dtype} onChange={(e) => onDtype(e.target.value as DType)}>
            <option value="float64">float64</option>
            <option value="float32">float32</option>
          </select>
        </label>
      </div>
      {blocked.has(backend) && (
        <p className="muted small" data-testid="grid-backend-note">
          {BACKEND_LABELS[backend]} cannot run here ({blocked.get(backend)}); the solve uses auto instead.
        </p>
      )}
      {error ? (
        <p className="error" role="alert" data-testid="grid-error">
          {error} — the last valid grid stays in use.
        </p>
      ) : (
        info && (
          <p className="muted" data-testid="grid-info">
            dx = {info.dx.toPrecision(4)}, dt = {info.dt.toPrecision(4)}, {info.Nt} steps, {info.R} records
          </p>
        )
      )}
    </section>
  );
}

function toText(g: GridSpec): Record<keyof GridSpec, string> {
  return {
    N: String(g.N),
    Nvx: String(g.Nvx),
    CFL: String(g.CFL),
    tEnd: String(g.tEnd),
    every: String(g.every),
  };
}
