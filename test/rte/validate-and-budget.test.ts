/** core/rte's physical validation and up-front budgets: what the CLI and the workbench both call. */
import { describe, expect, it } from 'vitest';
import {
  checkRteBudget,
  checkRteField,
  checkRteJob,
  estimateRteWork,
  firstNonFinite,
  formatBytes,
  MAX_T,
  RTE_BUDGET,
  RteBudgetError,
  RteSpecError,
} from '../../core/rte/index';

const seed = { N: 400, Nvx: 8, CFL: 0.8, tEnd: 1, every: 10 };

describe('physical validation', () => {
  it('refuses sigma < 0, Tini < 0 and non-finite samples, naming the value and where', () => {
    expect(() => checkRteField('sigma', [1, 2, 3, -5], 2)).toThrow(
      /^sigma is -5 at case 1, cell 1; the opacity sigma must be finite and ≥ 0$/,
    );
    expect(() => checkRteField('Tini', [-1], 1, () => 'cell 0 of the file')).toThrow(
      /^Tini is -1 at cell 0 of the file; the initial temperature Tini must be finite and ≥ 0$/,
    );
    expect(() => checkRteField('Tini', [0, Number.NaN], 2)).toThrow(/Tini is NaN at case 0, cell 1/);
    expect(() => checkRteField('sigma', [0, 1e308, 0], 3)).not.toThrow();
    expect(() => checkRteField('sigma', [-0, 0], 2)).not.toThrow();
  });

  it('finds the earliest record where a run stopped being finite, over cases and outputs', () => {
    // [B = 2, R = 3, N = 2]: case 1 overflows at record 1 (cell 0), case 0 only at record 2
    const E = [0, 0, 0, 0, 0, Infinity, 0, 0, Number.NaN, 0, 0, 0];
    const T = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(firstNonFinite({ E, T }, { B: 2, R: 3, N: 2, every: 10 })).toEqual({
      output: 'E',
      caseIndex: 1,
      record: 1,
      step: 11,
      cell: 0,
      value: Number.NaN,
    });
    expect(firstNonFinite({ T }, { B: 2, R: 3, N: 2, every: 10 })).toBeNull();
  });

  it('knows where T⁴ overflows each dtype', () => {
    expect(Number.isFinite((MAX_T.float64 * 0.9999) ** 4)).toBe(true);
    expect(Number.isFinite((MAX_T.float64 * 1.0001) ** 4)).toBe(false);
    expect(Math.fround((MAX_T.float32 * 0.9999) ** 4)).toBeLessThan(Infinity);
    expect(Math.fround((MAX_T.float32 * 1.0001) ** 4)).toBe(Infinity);
  });
});

describe('up-front budgets', () => {
  it('sizes a run from the grid and the batch', () => {
    const e = estimateRteWork(seed, { kind: 'solve', batch: 4, dtype: 'float64' });
    // Nt = int(1 / 0.002) = 499 steps, R = floor(498 / 10) + 1 = 50 records, of which 1 + 49·10 steps run
    expect(e).toMatchObject({ cases: 4, cells: 1600, ordinates: 8, steps: 491, records: 50 });
    expect(e.outputBytes).toBe(2 * 4 * 50 * 400 * 8);
    expect(e.workingBytes).toBeGreaterThan(2 * e.outputBytes);
    expect(e.cellUpdates).toBe(4 * 400 * 8 * 491);
    const f32 = estimateRteWork(seed, { kind: 'solve', batch: 4, dtype: 'float32' });
    expect(f32.outputBytes).toBe(e.outputBytes / 2);
    expect(estimateRteWork(seed, { kind: 'jacobian', batch: 1, dtype: 'float64' }).outputBytes).toBe(
      400 * 400 * 8,
    );
    expect(estimateRteWork(seed, { kind: 'jacobian', batch: 1, dtype: 'float64', records: 5 }).steps).toBe(
      41,
    );
  });

  it('sizes the workbench’s derivative jobs: every record’s Jacobian, chunked and compressed passes, the θ-hessian', () => {
    const job = { kind: 'jacobian', batch: 1, dtype: 'float64' } as const;
    const dense = estimateRteWork(seed, job);
    // the [R, N, N] result of every record's Jacobian
    expect(estimateRteWork(seed, { ...job, jacobianRecords: 50 }).outputBytes).toBe(50 * 400 * 400 * 8);
    // 16 columns at a time: less memory, the same columns plus one primal per pass
    const chunked = estimateRteWork(seed, { ...job, tangents: 16 });
    expect(chunked.workingBytes).toBeLessThan(dense.workingBytes / 10);
    expect(chunked.cellUpdates).toBe((400 + 25) * 400 * 8 * 491);
    expect(dense.cellUpdates).toBe(401 * 400 * 8 * 491);
    // compressed: one tangent per colour
    expect(estimateRteWork(seed, { ...job, columns: 9 }).cellUpdates).toBe(10 * 400 * 8 * 491);
    const hessian = estimateRteWork(seed, { kind: 'hessian', batch: 1, dtype: 'float64' });
    const grad = estimateRteWork(seed, { kind: 'grad', batch: 1, dtype: 'float64' });
    expect(hessian.cellUpdates).toBe(4 * grad.cellUpdates);
    expect(hessian.workingBytes).toBeGreaterThan(2 * grad.workingBytes);
  });

  it('lets the reference runs through', () => {
    for (const kind of ['solve', 'grad', 'jvp'] as const)
      expect(() => checkRteJob(seed, { kind, batch: 4, dtype: 'float64' })).not.toThrow();
    expect(() => checkRteJob(seed, { kind: 'jacobian', batch: 1, dtype: 'float64' })).not.toThrow();
    expect(() => checkRteJob(seed, { kind: 'solve', batch: 1024, dtype: 'float32' })).not.toThrow();
  });

  it.each([
    ['N = 10⁷', { ...seed, N: 1e7 }, 'solve'],
    ['Nvx = 10⁸', { ...seed, Nvx: 1e8 }, 'solve'],
    ['every 1 to t_end 500 (outputs of 6 GiB)', { ...seed, every: 1, tEnd: 500 }, 'solve'],
    ['a dense 20000 × 20000 Jacobian', { ...seed, N: 20000, tEnd: 0.001, every: 1 }, 'jacobian'],
  ] as const)('refuses %s before any work, naming the sizes and how to raise the budget', (_, spec, kind) => {
    const job = { kind, batch: kind === 'jacobian' ? 1 : 4, dtype: 'float64' } as const;
    const raise = { memory: 'raise it with --max-memory SIZE', work: 'raise it with --max-work COUNT' };
    expect(() => checkRteJob(spec, job, { raise })).toThrow(RteBudgetError);
    expect(() => checkRteJob(spec, job, { raise })).toThrow(
      /^this run is too large: \d+ case\(s\) × .* cells × .* ordinates, .* steps, .* records: outputs .*, working memory about .*, over the memory budget of 4\.00 GiB .*--max-memory SIZE\)$/,
    );
  });

  it('refuses a run beyond the work budget, and a budget error is an RteSpecError (bad input)', () => {
    const e = estimateRteWork(
      { ...seed, tEnd: 100, every: 1000 },
      { kind: 'solve', batch: 4, dtype: 'float64' },
    );
    expect(() => checkRteBudget(e, { ...RTE_BUDGET, maxCellUpdates: 1e8 })).toThrow(
      /^this run is too long: .* cell updates, over the work budget of 1\.00e8 .*raise the work budget\)$/,
    );
    expect(new RteBudgetError('x')).toBeInstanceOf(RteSpecError);
    expect(() => checkRteBudget(e, { maxBytes: 1e6, maxCellUpdates: 1e15 })).toThrow(
      /memory budget of 977 KiB/,
    );
  });

  it('prints sizes for people', () => {
    expect([0, 1023, 1024, 5.5 * 2 ** 20, 4 * 2 ** 30, 2 ** 50 * 3].map(formatBytes)).toEqual([
      '0 bytes',
      '1023 bytes',
      '1.00 KiB',
      '5.50 MiB',
      '4.00 GiB',
      '3.00 PiB',
    ]);
  });
});
