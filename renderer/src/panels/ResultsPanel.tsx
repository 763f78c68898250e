/** E(x,t) and T(x,t) of the selected case as space-time maps, and E, T of every case at the chosen time. */
import { memo, useMemo, useRef } from 'react';
import { encodeNpyArray } from '../../../core/index';
import type { CaseDef } from '../model/presets';
import { centres } from '../model/profile';
import { caseField, caseRow, profilesCsv, resultsJson } from '../model/results';
import { platform } from '../platform/platform';
import { rangeOf } from '../plots/colormap';
import { fieldPng } from '../plots/field';
import { LinePlot, PALETTE } from '../plots/LinePlot';
import type { PainterKind } from '../plots/painters';
import { SpaceTimeMap } from '../plots/SpaceTimeMap';
import { mapFigureSvg, serialiseSvg } from '../plots/svg';
import type { GridSpec, SolveResult } from '../worker/api';
import { ExportButtons } from './ExportButtons';
import { sameProps } from './memoPanel';
import { TimeScrubber } from './TimeScrubber';

interface Props {
  result: SolveResult;
  /** The cases the result was solved for (names and order). */
  cases: CaseDef[];
  spec: GridSpec;
  times: Float64Array;
  record: number;
  selectedIndex: number;
  onRecord(r: number): void;
  onRendererKind?(kind: PainterKind): void;
  /** False while its tab is hidden: it then keeps the last picture and skips redraws until shown again. */
  visible?: boolean;
  /** |∂E/∂θ| of the selected case ([R, N]) to shade the E map by, or null. */
  shadeE?: Float64Array | null;
}

export const ResultsPanel = memo(function ResultsPanel({
  result,
  cases,
  spec,
  times,
  record,
  selectedIndex,
  onRecord,
  onRendererKind,
  shadeE = null,
}: Props) {
  const { R, N } = result;
  const r = Math.min(record, R - 1);
  const b = Math.min(Math.max(0, selectedIndex), result.B - 1);
  const name = cases[b]?.name ?? `case ${b + 1}`;
  const E = useMemo(() => ({ rows: R, cols: N, values: caseField(result.E, b, R, N) }), [result, b, R, N]);
  const T = useMemo(() => ({ rows: R, cols: N, values: caseField(result.T, b, R, N) }), [result, b, R, N]);
  const x = useMemo(() => centres(N), [N]);
  const ePlot = useRef<SVGSVGElement>(null);
  const tPlot = useRef<SVGSVGElement>(null);
  const series = (v: Float64Array) =>
    cases
      .slice(0, result.B)
      .map((c, k) => ({ name: c.name, colour: PALETTE[k % PALETTE.length]!, x, y: caseRow(v, k, r, R, N) }));

  const mapSvg = (label: 'E' | 'T', f: typeof E) => () => {
    const range = rangeOf(f.values, 'viridis');
    return mapFigureSvg({
      title: `${label}(x, t) — ${name}`,
      xLabel: 'x',
      yLabel: 't',
      xRange: [0, 1],
      yRange: [times[0] ?? 0, times.at(-1) ?? 1],
      image: fieldPng(f, 'viridis', range),
      cmap: 'viridis',
      range,
      valueLabel: label,
    });
  };

  return (
    <section className="results" aria-label="Results">
      <div className="maps">
        {(['E', 'T'] as const).map((q) => {
          const field = q === 'E' ? E : T;
          return (
            <SpaceTimeMap
              key={q}
              testId={`map-${q}`}
              title={`${q}(x, t) — ${name}${q === 'E' && shadeE ? ', shaded by |∂E/∂θ|' : ''}`}
              field={field}
              times={times}
              cmap="viridis"
              valueLabel={q}
              cursorRecord={r}
              onPickRecord={onRecord}
              // one map reports which renderer (WebGL or the 2-D fallback) the maps use
              onRendererKind={q === 'E' ? onRendererKind : undefined}
              shade={q === 'E' ? shadeE : null}
            >
              <ExportButtons name={`${q}-map`} testId={`export-map-${q}`} getSvg={mapSvg(q, field)} />
            </SpaceTimeMap>
          );
        })}
      </div>
      <TimeScrubber record={r} times={times} onRecord={onRecord} />
      <div className="lines">
        {(['E', 'T'] as const).map((name) => {
          const plot = name === 'E' ? ePlot : tPlot;
          return (
            <figure key={name}>
              <LinePlot
                ref={plot}
                testId={`plot-${name}`}
                width={460}
                title={`${name}(x) at t = ${(times[r] ?? 0).toPrecision(4)}`}
                xLabel="x"
                yLabel={name}
                series={series(result[name])}
              />
              <ExportButtons
                name={`${name}-profiles`}
                testId={`export-plot-${name}`}
                getSvg={() => (plot.current ? serialiseSvg(plot.current) : null)}
              />
            </figure>
          );
        })}
      </div>
      <div className="row data-export">
        <span className="muted">Data:</span>
        <button
          type="button"
          data-testid="export-E-npy"
          onClick={() => void platform.saveFile('E.npy', encodeNpyArray(result.E, [result.B, R, N]))}
        >
          E.npy [{result.B},{R},{N}]
        </button>
        <button
          type="button"
          data-testid="export-T-npy"
          onClick={() => void platform.saveFile('T.npy', encodeNpyArray(result.T, [result.B, R, N]))}
        >
          T.npy
        </button>
        <button
          type="button"
          data-testid="export-csv"
          onClick={() => void platform.saveFile(`profiles-record${r}.csv`, profilesCsv(result, cases, r))}
        >
          CSV at this time
        </button>
        <button
          type="button"
          data-testid="export-json"
          onClick={() => void platform.saveFile('results.json', resultsJson(result, spec, cases, times))}
        >
          JSON
        </button>
      </div>
    </section>
  );
}, redrawWhenShown);

/** Unchanged props, or hidden before and after: no redraw (a solve landing behind another tab costs nothing). */
function redrawWhenShown(a: Props, b: Props): boolean {
  return (a.visible === false && b.visible === false) || sameProps(a, b);
}
