/** The selected case's ∂J/∂σ(x) drawn under the σ editor, so where an edit moves J most is visible there. */
import { useMemo } from 'react';
import type { LiveCall } from '../../hooks/useLiveCall';
import { centres } from '../../model/profile';
import { LinePlot } from '../../plots/LinePlot';
import type { GradResult } from '../../worker/api';
import { memoPanel } from '../memoPanel';

export const GradientUnderEditor = memoPanel(function GradientUnderEditor({
  live,
  selected,
}: {
  live: LiveCall<GradResult>;
  selected: number;
}) {
  const g = live.result;
  const x = useMemo(() => centres(g?.N ?? 1), [g?.N]);
  if (!g || selected >= g.B) return <p className="muted">∂J/∂σ: computing…</p>;
  const y = g.dSigma.subarray(selected * g.N, (selected + 1) * g.N);
  return (
    <LinePlot
      testId="grad-under-sigma"
      title="∂J/∂σ(x), this case"
      xLabel="x"
      yLabel="∂J/∂σ"
      withZero
      width={320}
      height={170}
      series={[{ name: '∂J/∂σ', colour: '#d62728', x, y }]}
    />
  );
});
