/** The gradient's exports: each plot as PNG/SVG, every case's values as JSON and ∂J/∂σ as .npy [B, N]. */
import { encodeNpyArray } from '../../../../core/index';
import { platform } from '../../platform/platform';
import { serialiseSvg } from '../../plots/svg';
import type { GradResult, Objective } from '../../worker/api';
import { ExportButtons } from '../ExportButtons';

interface Props {
  g: GradResult;
  objective: Objective;
  sigmaPlot: React.RefObject<SVGSVGElement | null>;
  tiniPlot: React.RefObject<SVGSVGElement | null>;
}

export function GradientExports({ g, objective, sigmaPlot, tiniPlot }: Props) {
  const json = () =>
    JSON.stringify({
      objective,
      B: g.B,
      N: g.N,
      value: Array.from(g.value),
      dSigma: Array.from(g.dSigma),
      dTini: Array.from(g.dTini),
    });
  return (
    <div className="row">
      <ExportButtons
        name="gradient-sigma"
        testId="export-grad"
        getSvg={() => sigmaPlot.current && serialiseSvg(sigmaPlot.current)}
      />
      <ExportButtons
        name="gradient-Tini"
        testId="export-grad-Tini"
        getSvg={() => tiniPlot.current && serialiseSvg(tiniPlot.current)}
      />
      <button
        type="button"
        data-testid="export-grad-json"
        onClick={() => void platform.saveFile('gradient.json', json())}
      >
        JSON
      </button>
      <button
        type="button"
        data-testid="export-grad-npy"
        onClick={() => void platform.saveFile('grad_sigma.npy', encodeNpyArray(g.dSigma, [g.B, g.N]))}
      >
        ∂J/∂σ .npy [B, N]
      </button>
    </div>
  );
}
