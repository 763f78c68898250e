/**
 * Structure of ∂out(record r)/∂in: a spy plot coloured by sign, nnz, circular bandwidth and the colours a
 * compressed evaluation needs, how they grow with r, and dense vs compressed timings.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useJob } from '../hooks/useJob';
import { toCsv } from '../io/csv';
import { writeNpy } from '../io/npy';
import type { View } from '../model/session';
import { platform } from '../platform/platform';
import { formatValue } from '../plots/colormap';
import { fieldPng } from '../plots/field';
import { LinePlot } from '../plots/LinePlot';
import { mapFigureSvg, serialiseSvg } from '../plots/svg';
import type {
  CaseInputs,
  CompressedResult,
  GridSpec,
  JacInput,
  JacOutput,
  SparsityResult,
} from '../worker/api';
import type { SolverClient } from '../worker/client';
import { DerivGridNote } from './DerivGridNote';
import { ExportButtons } from './ExportButtons';
import { JobStatus } from './JobStatus';

interface Props {
  client: SolverClient;
  spec: GridSpec;
  inputs: CaseInputs | null;
  caseName: string;
  view: View;
  onView(v: Partial<View>): void;
}

type Computed = SparsityResult & { output: JacOutput; input: JacInput };

export function SparsityPanel({ client, spec, inputs, caseName, view, onView }: Props) {
  const job = useJob<Computed>(client);
  const cjob = useJob<CompressedResult>(client);
  const { output, input } = view.jac;
  const res = job.result;
  const r = res ? Math.min(view.jac.record, res.R - 1) : 0;
  const block = useMemo(
    () => (res ? res.J.subarray(r * res.N * res.N, (r + 1) * res.N * res.N) : null),
    [res, r],
  );
  const [hover, setHover] = useState<string | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const growth = useRef<SVGSVGElement>(null);

  useEffect(() => {
    if (!res || !block || !canvas.current) return;
    const N = res.N;
    const c = canvas.current;
    c.width = N;
    c.height = N;
    const ctx = c.getContext('2d')!;
    const img = ctx.createImageData(N, N);
    for (let k = 0; k < N * N; k++) {
      const v = block[k]!;
      const [R_, G, B] = v > 0 ? [178, 24, 43] : v < 0 ? [33, 102, 172] : [255, 255, 255];
      img.data.set([R_, G, B, 255], k * 4);
    }
    ctx.putImageData(img, 0, 0);
  }, [res, block]);

  const run = () =>
    inputs &&
    job.run(async (c, onProgress) => ({
      ...(await c.call(
        'sparsity',
        { spec, inputs, output, input, dtype: view.dtype, chunk: 16 },
        onProgress,
      )),
      output,
      input,
    }));

  const runCompressed = () =>
    inputs &&
    res &&
    cjob.run((c, onProgress) =>
      c.call(
        'compressed',
        { spec, inputs, output: res.output, input: res.input, dtype: view.dtype, record: r },
        onProgress,
      ),
    );

  const stats = res?.stats[r];
  const inName = res?.input === 'Tini' ? 'Tini' : 'σ';
  const records = res ? Array.from({ length: res.R }, (_, k) => k) : [];

  const spySvg = () => {
    if (!res || !block) return null;
    const N = res.N;
    // rows of the matrix top-down, as a spy plot reads
    const flipped = new Float64Array(N * N);
    for (let i = 0; i < N; i++)
      for (let j = 0; j < N; j++) flipped[(N - 1 - i) * N + j] = Math.sign(block[i * N + j]!);
    const range = { min: -1, max: 1 };
    return mapFigureSvg({
      title: `∂${res.output}(record ${r})/∂${inName}: sign of nonzeros`,
      xLabel: `j (${inName} cell)`,
      yLabel: `i (${res.output} cell, top = 0)`,
      xRange: [0, N],
      yRange: [N, 0],
      image: fieldPng({ rows: N, cols: N, values: flipped }, 'diverging', range),
      cmap: 'diverging',
      range,
      valueLabel: 'sign',
    });
  };

  return (
    <section className="deriv" aria-label="Jacobian sparsity" data-testid="sparsity-panel">
      <DerivGridNote spec={spec} onN={(n) => onView({ derivN: n })} />
      <div className="row">
        <span>Case: {caseName}.</span>
        <label>
          output{' '}
          <select
            data-testid="jac-output"
            value={output}
            onChange={(e) => onView({ jac: { ...view.jac, output: e.target.value as JacOutput } })}
          >
            <option value="E">E</option>
            <option value="T">T</option>
          </select>
        </label>
        <label>
          input{' '}
          <select
            data-testid="jac-input"
            value={input}
            onChange={(e) => onView({ jac: { ...view.jac, input: e.target.value as JacInput } })}
          >
            <option value="sigma">σ</option>
            <option value="Tini">Tini</option>
          </select>
        </label>
        <button
          type="button"
          data-testid="sparsity-run"
          disabled={!inputs || job.running}
          onClick={() => void run()}
        >
          Compute Jacobian
        </button>
      </div>
      <JobStatus job={job} testId="sparsity-job" />
      {res && block && stats && (
        <div className="sparsity">
          <div>
            <div className="row">
              <label>
                record r{' '}
                <input
                  type="range"
                  data-testid="jac-record"
                  min={0}
                  max={res.R - 1}
                  value={r}
                  onChange={(e) => onView({ jac: { ...view.jac, record: Number(e.target.value) } })}
                />
              </label>
              <span data-testid="jac-record-label">
                {r} / {res.R - 1}
              </span>
            </div>
            <canvas
              ref={canvas}
              className="spy"
              data-testid="spy"
              onMouseMove={(e) => {
                const box = e.currentTarget.getBoundingClientRect();
                const j = Math.min(res.N - 1, Math.floor(((e.clientX - box.left) / box.width) * res.N));
                const i = Math.min(res.N - 1, Math.floor(((e.clientY - box.top) / box.height) * res.N));
                const xi = ((i + 0.5) / res.N).toFixed(3);
                const xj = ((j + 0.5) / res.N).toFixed(3);
                setHover(
                  `∂${res.output}(x_${i} = ${xi})/∂${inName}(x_${j} = ${xj}) = ${formatValue(block[i * res.N + j]!)}`,
                );
              }}
              onMouseLeave={() => setHover(null)}
            />
            <div className="readout" data-testid="spy-readout">
              {hover ?? 'hover the spy plot for ∂out(xᵢ)/∂in(xⱼ)'}
            </div>
            <ExportButtons name={`jacobian-r${r}`} testId="export-spy" getSvg={spySvg} />
          </div>
          <div>
            <table className="stats" data-testid="sparsity-stats">
              <tbody>
                <tr>
                  <th>nnz</th>
                  <td data-testid="stat-nnz">
                    {stats.nnz} of {res.N * res.N} ({((100 * stats.nnz) / (res.N * res.N)).toFixed(1)}%)
                  </td>
                </tr>
                <tr>
                  <th>bandwidth (circular)</th>
                  <td data-testid="stat-bandwidth">{stats.bandwidth}</td>
                </tr>
                <tr>
                  <th>colours (compressed jvps)</th>
                  <td data-testid="stat-colours">
                    {stats.colours} instead of {res.N}
                  </td>
                </tr>
                <tr>
                  <th>dense evaluation (all records)</th>
                  <td>{res.ms.toFixed(0)} ms</td>
                </tr>
                <tr>
                  <th>pattern from</th>
                  <td data-testid="stat-source">
                    {res.source === 'core-sparse'
                      ? 'core sparsity detection'
                      : 'nonzeros of the dense Jacobian'}
                  </td>
                </tr>
              </tbody>
            </table>
            <button
              type="button"
              data-testid="compressed-run"
              disabled={cjob.running}
              onClick={() => void runCompressed()}
            >
              Time dense vs compressed at record {r}
            </button>
            <JobStatus job={cjob} testId="compressed-job" />
            {cjob.result && (
              <p data-testid="compressed-result">
                record {cjob.result.record}: dense {cjob.result.denseMs.toFixed(0)} ms ({res.N} jvps),
                compressed {cjob.result.ms.toFixed(0)} ms ({cjob.result.colours} jvps), max |difference|{' '}
                {formatValue(cjob.result.maxAbsErr)}
              </p>
            )}
            <LinePlot
              ref={growth}
              testId="plot-growth"
              title="Growth with the record"
              xLabel="record r"
              yLabel="count"
              width={380}
              height={220}
              series={[
                { name: 'bandwidth', colour: '#2ca02c', x: records, y: res.stats.map((s) => s.bandwidth) },
                { name: 'colours', colour: '#ff7f0e', x: records, y: res.stats.map((s) => s.colours) },
                { name: 'nnz / N', colour: '#9467bd', x: records, y: res.stats.map((s) => s.nnz / res.N) },
              ]}
            />
            <div className="row">
              <ExportButtons
                name="sparsity-growth"
                testId="export-growth"
                getSvg={() => (growth.current ? serialiseSvg(growth.current) : null)}
              />
              <button
                type="button"
                data-testid="export-jac-npy"
                onClick={() => void platform.saveFile('jacobian.npy', writeNpy(res.J, [res.R, res.N, res.N]))}
              >
                J.npy [{res.R},{res.N},{res.N}]
              </button>
              <button
                type="button"
                data-testid="export-stats-csv"
                onClick={() =>
                  void platform.saveFile(
                    'sparsity.csv',
                    toCsv(
                      ['record', 'nnz', 'bandwidth', 'colours'],
                      res.stats.map((s, k) => [k, s.nnz, s.bandwidth, s.colours]),
                    ),
                  )
                }
              >
                stats CSV
              </button>
            </div>
          </div>
        </div>
      )}
      {!res && !job.running && <p className="muted">Jacobian of one case: {caseName}.</p>}
    </section>
  );
}
