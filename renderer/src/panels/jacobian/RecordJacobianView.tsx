/** The live Jacobian of the chosen record (compressed jvps): record slider, spy plot, counts and timings. */

import { encodeNpyArray } from '../../../../core/index';
import type { LiveCall } from '../../hooks/useLiveCall';
import { platform } from '../../platform/platform';
import type { RecordJacobianResult } from '../../worker/api';
import { memoPanel } from '../memoPanel';
import { LiveNote } from '../sensitivity/LiveNote';
import { SpyPlot } from './SpyPlot';

interface Props {
  live: LiveCall<RecordJacobianResult>;
  record: number;
  R: number;
  onRecord(r: number): void;
  output: string;
  input: string;
}

export const RecordJacobianView = memoPanel(function RecordJacobianView({
  live,
  record,
  R,
  onRecord,
  output,
  input,
}: Props) {
  const res = live.result;
  return (
    <section data-testid="record-jacobian">
      <div className="row">
        <label>
          record r{' '}
          <input
            type="range"
            data-testid="jac-record"
            min={0}
            max={R - 1}
            value={Math.min(record, R - 1)}
            onChange={(e) => onRecord(Number(e.target.value))}
          />
        </label>
        <span data-testid="jac-record-label">
          {Math.min(record, R - 1)} / {R - 1}
        </span>
      </div>
      <LiveNote live={live} testId="jac-live" />
      {res && (
        <div className="sparsity">
          <SpyPlot res={res} output={output} input={input} />
          <div>
            <table className="stats" data-testid="sparsity-stats">
              <tbody>
                <tr>
                  <th>record shown</th>
                  <td data-testid="stat-record">{res.record}</td>
                </tr>
                <tr>
                  <th>nnz</th>
                  <td data-testid="stat-nnz">
                    {res.nnz} of {res.N * res.N} ({((100 * res.nnz) / (res.N * res.N)).toFixed(1)}%)
                  </td>
                </tr>
                <tr>
                  <th>bandwidth (circular)</th>
                  <td data-testid="stat-bandwidth">{res.bandwidth}</td>
                </tr>
                <tr>
                  <th>colours = jvps</th>
                  <td data-testid="stat-colours">
                    {res.colours} instead of {res.N}
                  </td>
                </tr>
                <tr>
                  <th>detection + colouring (once per record)</th>
                  <td>{res.detectMs.toFixed(0)} ms</td>
                </tr>
              </tbody>
            </table>
            <button
              type="button"
              data-testid="export-record-jac-npy"
              onClick={() =>
                void platform.saveFile(`jacobian-r${res.record}.npy`, encodeNpyArray(res.J, [res.N, res.N]))
              }
            >
              J(r{res.record}).npy [{res.N},{res.N}]
            </button>
          </div>
        </div>
      )}
    </section>
  );
});
