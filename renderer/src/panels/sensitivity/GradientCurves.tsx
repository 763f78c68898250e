/** ∂J/∂σ(x) and ∂J/∂Tini(x) of every case (one curve per case), with exports. */
import { useMemo, useRef } from 'react';
import type { LiveCall } from '../../hooks/useLiveCall';
import { centres } from '../../model/profile';
import { formatValue } from '../../plots/colormap';
import { LinePlot, PALETTE } from '../../plots/LinePlot';
import type { GradResult, Objective } from '../../worker/api';
import { memoPanel } from '../memoPanel';
import { GradientExports } from './GradientExports';
import { LiveNote } from './LiveNote';

interface Props {
  live: LiveCall<GradResult>;
  names: string[];
  objective: Objective;
}

export const GradientCurves = memoPanel(function GradientCurves({ live, names, objective }: Props) {
  return (
    <figure data-testid="grad-figure">
      <h3>Gradient of J for every case (vmap of grad)</h3>
      <LiveNote live={live} testId="grad-live" />
      {live.result && <GradientPlots g={live.result} names={names} objective={objective} />}
    </figure>
  );
});

/** The curves themselves: redrawn for a new gradient only, not when the note's timings or state change. */
const GradientPlots = memoPanel(function GradientPlots({
  g,
  names,
  objective,
}: {
  g: GradResult;
  names: string[];
  objective: Objective;
}) {
  const sigmaRef = useRef<SVGSVGElement>(null);
  const tiniRef = useRef<SVGSVGElement>(null);
  const x = useMemo(() => centres(g.N), [g.N]);
  const curves = (v: Float64Array | undefined) =>
    v
      ? Array.from({ length: g.B }, (_, b) => ({
          name: names[b] ?? `case ${b + 1}`,
          colour: PALETTE[b % PALETTE.length]!,
          x,
          y: v.subarray(b * g.N, (b + 1) * g.N),
        }))
      : [];
  const plot = (ref: React.RefObject<SVGSVGElement | null>, id: string, label: string, v?: Float64Array) => (
    <LinePlot
      ref={ref}
      testId={id}
      title={`${label}(x), one curve per case`}
      xLabel="x"
      yLabel={label}
      withZero
      width={460}
      series={curves(v)}
    />
  );
  return (
    <>
      <p data-testid="grad-value">
        J per case: {Array.from(g.value, (v, b) => `${names[b] ?? b + 1} ${formatValue(v)}`).join(', ')}
      </p>
      <div className="lines">
        {plot(sigmaRef, 'plot-grad', '∂J/∂σ', g.dSigma)}
        {plot(tiniRef, 'plot-grad-Tini', '∂J/∂Tini', g.dTini)}
      </div>
      <GradientExports g={g} objective={objective} sigmaPlot={sigmaRef} tiniPlot={tiniRef} />
    </>
  );
});
