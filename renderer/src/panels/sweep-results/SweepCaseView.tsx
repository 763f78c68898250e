/**
 * One case of a sweep store: E(x, t) and T(x, t) as maps, then one line per derivative array: gradients
 * over x, jvps at the final record, and each Jacobian's diagonal ∂out_i/∂in_i.
 */

import type { SweepStore } from '../../io/sweep-store';
import { LinePlot, PALETTE } from '../../plots/LinePlot';
import { SpaceTimeMap } from '../../plots/SpaceTimeMap';
import { type SweepCase, useSweepCase } from './useSweepCase';

/** The line a derivative array shows over x, or null for the maps' own arrays. */
function lineOf(name: string, c: SweepCase): Float64Array | null {
  const a = c.arrays[name]!;
  const N = c.x.length;
  if (name === 'E' || name === 'T') return null;
  const pattern = c.patterns[name];
  if (pattern) {
    const diag = new Float64Array(N);
    pattern.rows.forEach((r, k) => {
      if (r === pattern.cols[k]) diag[r] = a.values[k]!;
    });
    return diag;
  }
  if (a.shape.length === 1) return a.values;
  if (a.shape.length === 2 && a.shape[1] === N && name.startsWith('jac_'))
    return Float64Array.from({ length: N }, (_, i) => a.values[i * N + i]!);
  return a.values.subarray(a.values.length - N); // [record, x]: the final record
}

export function SweepCaseView({ store, index }: { store: SweepStore; index: number }) {
  const state = useSweepCase(store, index);
  if (!state) return <p>Reading case {index}…</p>;
  if (!state.data) return <p className="error">{state.error}</p>;
  const c = state.data;
  const label = store.attrs.params.map(
    (p, i) => `${p} = ${store.cases.find((k) => k.index === index)?.params[i]}`,
  );
  return (
    <div className="sweep-case" data-testid="sweep-case-view" data-case={index}>
      <div className="maps">
        {(['E', 'T'] as const)
          .filter((q) => c.arrays[q])
          .map((q) => (
            <SpaceTimeMap
              key={q}
              testId={`sweep-map-${q}`}
              title={`${q}(x, t) — case ${index} (${label.join(', ')})`}
              field={{ rows: c.t.length, cols: c.x.length, values: c.arrays[q]!.values }}
              times={c.t}
              cmap="viridis"
              valueLabel={q}
            />
          ))}
      </div>
      {Object.keys(c.arrays).map((name, k) => {
        const y = lineOf(name, c);
        if (!y) return null;
        const what = name.startsWith('jac_')
          ? `${name}: diagonal`
          : name.startsWith('jvp_')
            ? `${name}: final record`
            : name;
        const series = [{ name, colour: PALETTE[k % PALETTE.length]!, x: c.x, y }];
        return (
          <LinePlot
            key={name}
            testId={`sweep-plot-${name}`}
            title={what}
            xLabel="x"
            yLabel={name}
            series={series}
            withZero
          />
        );
      })}
    </div>
  );
}
