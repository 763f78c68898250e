/** The Jacobian of the selected case on the solution's grid: one record live (compressed), all on request. */
import { useJob } from '../../hooks/useJob';
import type { LiveCall } from '../../hooks/useLiveCall';
import type { View } from '../../model/session';
import type {
  CaseInputs,
  DType,
  GridSpec,
  JacInput,
  JacOutput,
  RecordJacobianResult,
  SparsityResult,
} from '../../worker/api';
import type { SolverClient } from '../../worker/client';
import { DenseJacobian } from './DenseJacobian';
import { RecordJacobianView } from './RecordJacobianView';

interface Props {
  live: LiveCall<RecordJacobianResult>;
  /** Runs the dense job: cancelling it replaces this worker, not the live one. */
  denseClient: SolverClient;
  spec: GridSpec;
  R: number;
  inputs: CaseInputs | null;
  caseName: string;
  dtype: DType;
  view: View;
  onView(v: Partial<View>): void;
}

export function SparsityPanel({ live, denseClient, spec, R, inputs, caseName, dtype, view, onView }: Props) {
  const job = useJob<SparsityResult>(denseClient);
  const { output, input } = view.jac;
  const setJac = (j: Partial<View['jac']>) => onView({ jac: { ...view.jac, ...j } });
  const inName = input === 'Tini' ? 'Tini' : 'σ';
  const runDense = () =>
    inputs &&
    void job.run((c, onProgress) =>
      c.call('sparsity', { spec, inputs, output, input, dtype, chunk: 16 }, onProgress),
    );
  return (
    <section className="deriv" aria-label="Jacobian" data-testid="sparsity-panel">
      <div className="row">
        <span>Case: {caseName}. ∂</span>
        <select
          data-testid="jac-output"
          value={output}
          onChange={(e) => setJac({ output: e.target.value as JacOutput })}
        >
          <option value="E">E</option>
          <option value="T">T</option>
        </select>
        <span>(record r)/∂</span>
        <select
          data-testid="jac-input"
          value={input}
          onChange={(e) => setJac({ input: e.target.value as JacInput })}
        >
          <option value="sigma">σ</option>
          <option value="Tini">Tini</option>
        </select>
        <span>
          on N = {spec.N}, {dtype}
        </span>
      </div>
      <RecordJacobianView
        live={live}
        record={view.jac.record}
        R={R}
        onRecord={(record) => setJac({ record })}
        output={output}
        input={inName}
      />
      <DenseJacobian job={job} onRun={runDense} disabled={!inputs} />
    </section>
  );
}
