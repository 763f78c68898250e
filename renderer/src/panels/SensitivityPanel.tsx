/**
 * Sensitivity of a scalar objective: its gradient w.r.t. sigma(x) and Tini(x), a jvp field ∂(E, T)/∂θ for a
 * chosen perturbation, and the 2×2 hessian w.r.t. the amplitude and phase of the seed's sigma family.
 */
import { useMemo, useRef, useState } from 'react';
import { compileFormula } from '../../../core/rte/index';
import { useJob } from '../hooks/useJob';
import { writeNpy } from '../io/npy';
import { centres } from '../model/profile';
import { recordTimes } from '../model/results';
import type { View } from '../model/session';
import { platform } from '../platform/platform';
import { formatValue, rangeOf } from '../plots/colormap';
import { fieldPng } from '../plots/field';
import { LinePlot } from '../plots/LinePlot';
import { SpaceTimeMap } from '../plots/SpaceTimeMap';
import { mapFigureSvg, serialiseSvg } from '../plots/svg';
import type {
  CaseInputs,
  GradResult,
  GridInfo,
  GridSpec,
  HessianResult,
  JvpResult,
  Objective,
} from '../worker/api';
import type { SolverClient } from '../worker/client';
import { DerivGridNote } from './DerivGridNote';
import { ExportButtons } from './ExportButtons';
import { JobStatus } from './JobStatus';

interface Props {
  client: SolverClient;
  spec: GridSpec;
  grid: GridInfo | null;
  inputs: CaseInputs | null;
  caseName: string;
  view: View;
  onView(v: Partial<View>): void;
}

export function SensitivityPanel({ client, spec, grid, inputs, caseName, view, onView }: Props) {
  const gradJob = useJob<GradResult & { spec: GridSpec }>(client);
  const jvpJob = useJob<JvpResult & { spec: GridSpec; grid: GridInfo }>(client);
  const hessJob = useJob<HessianResult>(client);
  const [dirField, setDirField] = useState<'sigma' | 'Tini'>('sigma');
  const [dirText, setDirText] = useState('1 + 0.1*sin(2*pi*x + sin(2))');
  const [dirError, setDirError] = useState<string | null>(null);
  const [theta, setTheta] = useState({
    amp: String(1 + Math.sin(1)),
    phase: String(Math.sin(2)),
    depth: '0.1',
  });
  const gradRef = useRef<SVGSVGElement>(null);
  const gradTiniRef = useRef<SVGSVGElement>(null);
  const o = view.objective;
  const R = grid?.R ?? 1;

  const runGrad = () =>
    inputs &&
    gradJob.run(async (c) => ({
      ...(await c.call('grad', { spec, inputs, objective: o, dtype: view.dtype })),
      spec,
    }));

  const runJvp = () => {
    if (!inputs || !grid) return;
    let dir: Float64Array;
    try {
      const f = compileFormula(dirText, ['x']);
      dir = centres(spec.N).map((x) => f.evaluate({ x }));
      if (!dir.every(Number.isFinite)) throw new Error('the direction is not finite everywhere');
    } catch (e) {
      setDirError((e as Error).message);
      return;
    }
    setDirError(null);
    void jvpJob.run(async (c) => ({
      ...(await c.call('jvp', { spec, inputs, direction: { [dirField]: dir }, dtype: view.dtype })),
      spec,
      grid,
    }));
  };

  const runHessian = () => {
    if (!inputs) return;
    const [a, p, d] = [Number(theta.amp), Number(theta.phase), Number(theta.depth)];
    if (![a, p, d].every(Number.isFinite)) return;
    void hessJob.run((c) =>
      c.call('hessian', {
        spec,
        Tini: inputs.Tini,
        theta: [a, p],
        depth: d,
        objective: o,
        dtype: view.dtype,
      }),
    );
  };

  const g = gradJob.result;
  const x = useMemo(() => centres(g?.spec.N ?? spec.N), [g, spec.N]);
  const jv = jvpJob.result;
  const jvTimes = useMemo(() => (jv ? recordTimes(jv.spec, jv.grid) : new Float64Array()), [jv]);
  const dE = useMemo(() => (jv ? { rows: jv.R, cols: jv.N, values: jv.dE } : null), [jv]);

  return (
    <section className="deriv" aria-label="Sensitivity" data-testid="sensitivity-panel">
      <DerivGridNote spec={spec} onN={(n) => onView({ derivN: n })} />
      <div className="row">
        <span>Case: {caseName}. Objective:</span>
        <ObjectiveEditor objective={o} R={R} onChange={(objective) => onView({ objective })} />
        <button
          type="button"
          data-testid="grad-run"
          disabled={!inputs || gradJob.running}
          onClick={() => void runGrad()}
        >
          Compute gradient
        </button>
      </div>
      <JobStatus job={gradJob} testId="grad-job" />
      {g && (
        <figure>
          <p data-testid="grad-value">
            objective = {formatValue(g.value)} ({g.ms.toFixed(0)} ms on {g.backend}, N = {g.spec.N})
          </p>
          <div className="lines">
            <LinePlot
              ref={gradRef}
              testId="plot-grad"
              title="∂J/∂σ(x)"
              xLabel="x"
              yLabel="∂J/∂σ"
              withZero
              width={440}
              series={[{ name: '∂J/∂σ(x)', colour: '#d62728', x, y: g.dSigma }]}
            />
            <LinePlot
              ref={gradTiniRef}
              testId="plot-grad-Tini"
              title="∂J/∂Tini(x)"
              xLabel="x"
              yLabel="∂J/∂Tini"
              withZero
              width={440}
              series={[{ name: '∂J/∂Tini(x)', colour: '#1f77b4', x, y: g.dTini }]}
            />
          </div>
          <div className="row">
            <ExportButtons
              name="gradient-sigma"
              testId="export-grad"
              getSvg={() => (gradRef.current ? serialiseSvg(gradRef.current) : null)}
            />
            <ExportButtons
              name="gradient-Tini"
              testId="export-grad-Tini"
              getSvg={() => (gradTiniRef.current ? serialiseSvg(gradTiniRef.current) : null)}
            />
            <button
              type="button"
              data-testid="export-grad-json"
              onClick={() =>
                void platform.saveFile(
                  'gradient.json',
                  JSON.stringify({
                    objective: o,
                    grid: g.spec,
                    value: g.value,
                    dSigma: Array.from(g.dSigma),
                    dTini: Array.from(g.dTini),
                  }),
                )
              }
            >
              JSON
            </button>
            <button
              type="button"
              data-testid="export-grad-npy"
              onClick={() => void platform.saveFile('grad_sigma.npy', writeNpy(g.dSigma, [g.dSigma.length]))}
            >
              ∂J/∂σ .npy
            </button>
          </div>
        </figure>
      )}

      <h3>jvp field: ∂E(x, t)/∂θ along a direction</h3>
      <div className="row">
        <select
          value={dirField}
          onChange={(e) => setDirField(e.target.value as 'sigma' | 'Tini')}
          aria-label="perturbed input"
        >
          <option value="sigma">δσ(x) =</option>
          <option value="Tini">δTini(x) =</option>
        </select>
        <input
          data-testid="jvp-direction"
          value={dirText}
          onChange={(e) => setDirText(e.target.value)}
          spellCheck={false}
          size={30}
        />
        <button type="button" data-testid="jvp-run" disabled={!inputs || jvpJob.running} onClick={runJvp}>
          Compute jvp
        </button>
      </div>
      {dirError && <p className="error">{dirError}</p>}
      <JobStatus job={jvpJob} testId="jvp-job" />
      {dE && jv && (
        <SpaceTimeMap
          testId="map-jvp"
          title="∂E(x, t)/∂θ"
          field={dE}
          times={jvTimes}
          cmap="diverging"
          valueLabel="∂E/∂θ"
        >
          <ExportButtons
            name="jvp-E"
            testId="export-jvp"
            getSvg={() => {
              const range = rangeOf(dE.values, 'diverging');
              return mapFigureSvg({
                title: '∂E(x, t)/∂θ',
                xLabel: 'x',
                yLabel: 't',
                xRange: [0, 1],
                yRange: [jvTimes[0] ?? 0, jvTimes.at(-1) ?? 1],
                image: fieldPng(dE, 'diverging', range),
                cmap: 'diverging',
                range,
                valueLabel: '∂E/∂θ',
              });
            }}
          />
        </SpaceTimeMap>
      )}

      <h3>Hessian w.r.t. the amplitude and phase of σ(x) = θ₀·(1 + d·sin(2πx + θ₁))</h3>
      <div className="row">
        <label>
          θ₀{' '}
          <input size={8} value={theta.amp} onChange={(e) => setTheta({ ...theta, amp: e.target.value })} />
        </label>
        <label>
          θ₁{' '}
          <input
            size={8}
            value={theta.phase}
            onChange={(e) => setTheta({ ...theta, phase: e.target.value })}
          />
        </label>
        <label>
          d{' '}
          <input
            size={5}
            value={theta.depth}
            onChange={(e) => setTheta({ ...theta, depth: e.target.value })}
          />
        </label>
        <button
          type="button"
          data-testid="hessian-run"
          disabled={!inputs || hessJob.running}
          onClick={runHessian}
        >
          Compute hessian
        </button>
      </div>
      <JobStatus job={hessJob} testId="hessian-job" />
      {hessJob.result && <HessianTable h={hessJob.result} />}
    </section>
  );
}

function HessianTable({ h }: { h: HessianResult }) {
  const max = Math.max(...h.hessian.map(Math.abs)) || 1;
  const cell = (v: number, key: string) => {
    const t = v / max;
    const bg =
      t >= 0 ? `rgba(178, 24, 43, ${Math.abs(t) * 0.5})` : `rgba(33, 102, 172, ${Math.abs(t) * 0.5})`;
    return (
      <td style={{ background: bg }} key={key}>
        {formatValue(v)}
      </td>
    );
  };
  return (
    <table className="hessian" data-testid="hessian-table">
      <caption>
        J = {formatValue(h.value)}, ∇J = ({formatValue(h.grad[0])}, {formatValue(h.grad[1])}),{' '}
        {h.ms.toFixed(0)} ms on {h.backend}
      </caption>
      <thead>
        <tr>
          <th />
          <th>{h.names[0]}</th>
          <th>{h.names[1]}</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th>{h.names[0]}</th>
          {cell(h.hessian[0], '00')}
          {cell(h.hessian[1], '01')}
        </tr>
        <tr>
          <th>{h.names[1]}</th>
          {cell(h.hessian[2], '10')}
          {cell(h.hessian[3], '11')}
        </tr>
      </tbody>
    </table>
  );
}

function ObjectiveEditor({
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
