/**
 * On request: the dense Jacobian of every record [R, N, N] (chunked jvps, with progress and cancel), and how its
 * structure grows with the record (nnz, bandwidth, colours from core's detection).
 */
import { useRef } from 'react';
import { encodeNpyArray } from '../../../../core/index';
import type { Job } from '../../hooks/useJob';
import { toCsv } from '../../io/csv';
import { platform } from '../../platform/platform';
import { LinePlot } from '../../plots/LinePlot';
import { serialiseSvg } from '../../plots/svg';
import type { SparsityResult } from '../../worker/api';
import { ExportButtons } from '../ExportButtons';
import { JobStatus } from '../JobStatus';

interface Props {
  job: Job<SparsityResult>;
  onRun(): void;
  disabled: boolean;
}

export function DenseJacobian({ job, onRun, disabled }: Props) {
  const res = job.result;
  const growth = useRef<SVGSVGElement>(null);
  const records = res ? res.stats.map((_, k) => k) : [];
  const line = (name: string, colour: string, y: number[]) => ({ name, colour, x: records, y });
  return (
    <section data-testid="dense-jacobian">
      <h3>All records: dense Jacobian and growth of its structure</h3>
      <button type="button" data-testid="sparsity-run" disabled={disabled || job.running} onClick={onRun}>
        Compute the dense Jacobian of every record
      </button>
      <JobStatus job={job} testId="sparsity-job" />
      {res && (
        <>
          <p data-testid="dense-result">
            [{res.R}, {res.N}, {res.N}] in {res.ms.toFixed(0)} ms (dense evaluation)
            {res.structureMs > 0 && ` + ${res.structureMs.toFixed(0)} ms for the structure (once per grid)`}
            {'; pattern from '}
            {res.source === 'core-sparse' ? 'core sparsity detection' : 'nonzeros of the dense Jacobian'}
          </p>
          <LinePlot
            ref={growth}
            testId="plot-growth"
            title="Growth with the record"
            xLabel="record r"
            yLabel="count"
            width={420}
            height={220}
            series={[
              line(
                'bandwidth',
                '#2ca02c',
                res.stats.map((s) => s.bandwidth),
              ),
              line(
                'colours',
                '#ff7f0e',
                res.stats.map((s) => s.colours),
              ),
              line(
                'nnz / N',
                '#9467bd',
                res.stats.map((s) => s.nnz / res.N),
              ),
            ]}
          />
          <div className="row">
            <ExportButtons
              name="sparsity-growth"
              testId="export-growth"
              getSvg={() => growth.current && serialiseSvg(growth.current)}
            />
            <button
              type="button"
              data-testid="export-jac-npy"
              onClick={() =>
                void platform.saveFile('jacobian.npy', encodeNpyArray(res.J, [res.R, res.N, res.N]))
              }
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
        </>
      )}
    </section>
  );
}
