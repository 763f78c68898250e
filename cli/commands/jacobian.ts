/** `jacobian`: the N×N Jacobian of one record of E or T w.r.t. one input, for one case. */

import { z } from 'zod';
import type { Tensor } from '../../core/index';
import { jacobianSparsity, SparseMatrix, type SparsityPattern, toMatrixMarketBytes } from '../../core/index';
import { type RecordChoice, recordOf, resolveRecord } from '../../core/rte/index';
import { BACKEND_NOTES, note } from '../backend';
import { defineCommand, shapesOf, timed } from '../command';
import { UsageError } from '../errors';
import { filePath, flag, oneOf, toggle } from '../flags';
import { JACOBIAN_MODES, type JacobianResult, jacobianMode, MODE_NAMES } from '../jacobian-modes/index';
import { userPath } from '../npy-files';
import type { OutputFile } from '../output-set';
import { checkOutputFile } from '../output-targets';
import { checkFiniteResults, prepare, ranFields, runPlanned, SOLVE_FLAGS, writeResults } from './common';
import { argnumOf, WRT } from './grad';

const recordChoice = z
  .string()
  .trim()
  .regex(/^(final|\d+)$/, "must be 'final' or a record index 0, 1, ...")
  .transform((s): RecordChoice => (s === 'final' ? 'final' : Number(s)));
const caseIndex = z.string().trim().regex(/^\d+$/, 'must be a case index 0, 1, ...').transform(Number);
const mtxPath = filePath.refine((s) => /\.mtx$/i.test(s), 'must name a Matrix Market file ending in .mtx');

/** The dense Jacobian's values at the entries of a detected pattern (zeros there stay stored entries). */
function onPattern(pattern: SparsityPattern, J: Tensor): SparseMatrix {
  const data = J.concrete('jacobian').data;
  const values = new Float64Array(pattern.nnz);
  for (let i = 0; i < pattern.rows; i++)
    for (let k = pattern.rowPtr[i]!; k < pattern.rowPtr[i + 1]!; k++)
      values[k] = data[i * pattern.cols + pattern.colIdx[k]!]!;
  return new SparseMatrix(pattern, values);
}

export const jacobianCommand = defineCommand({
  name: 'jacobian',
  summary: 'Jacobian of one record of E or T for one case; writes DIR/jacobian.npy [N,N].',
  notes: [
    '--mode sparse reports nnz, colors, passes, dense (true when no two columns can share a colour, e.g. a',
    'full pattern: then it takes the plain jacfwd path) and detect/color/eval seconds. --pattern-out works with',
    'every mode: the pattern always comes from structural detection (valid for every input value), never from',
    'the nonzeros of the computed Jacobian; it is written with the other outputs, all or none.',
    '--mode fwd and rev run on every backend (jit of jacfwd / jacrev); --mode sparse runs eagerly only: with',
    '--backend auto it takes the eager path (with a note on stderr), with webgpu|webasm|cpu it is refused.',
    '',
    ...BACKEND_NOTES,
  ],
  flags: {
    ...SOLVE_FLAGS,
    output: flag('E|T', 'the output to differentiate', oneOf(['E', 'T'])),
    record: flag('final|R', "which record: 'final' or an index 0..R-1", recordChoice),
    wrt: flag('sigma|Tini', 'the input to differentiate with respect to', oneOf(WRT)),
    case: flag('I', 'which case (row of the inputs), 0..B-1', caseIndex),
    mode: flag(
      MODE_NAMES.join('|'),
      JACOBIAN_MODES.map((m) => m.help).join('; '),
      oneOf(MODE_NAMES).default('fwd'),
    ),
    'pattern-out': flag(
      'FILE.mtx',
      "also write the Jacobian's detected sparsity pattern as Matrix Market (coordinate pattern general, 1-based); its directory must exist or be --out",
      mtxPath.optional(),
    ),
    'pattern-values': toggle(
      'with --pattern-out: write the Jacobian on that pattern (coordinate real general) instead of the bare pattern',
    ),
  },
  async run(v) {
    const patternOut = v['pattern-out'];
    if (v['pattern-values'] && patternOut === undefined)
      throw new UsageError('--pattern-values needs --pattern-out FILE.mtx (the file it fills with values)');
    if (patternOut !== undefined) checkOutputFile('pattern-out', patternOut, v.out);
    const p = prepare(v, {
      kind: 'jacobian',
      files: ['jacobian.npy'],
      // a Jacobian of record r runs the first r + 1 records only
      records: (grid) => (v.record === 'final' ? grid.R : Math.min(v.record + 1, grid.R)),
    });
    const mode = jacobianMode(v.mode);
    let plan = p.plan;
    if (plan.kind === 'compiled' && !mode.dense) {
      if (plan.backend !== 'auto' && !plan.orEager)
        throw new UsageError(
          `--mode ${mode.name} runs on --backend eager only (use --mode fwd or rev with --backend ${plan.backend})`,
        );
      // auto with float64 means "the best float64 path": no note when that is eager
      if (!plan.orEager)
        note(`--mode ${mode.name} has no compiled path: it runs on the eager (CPU reference) path`);
      plan = { kind: 'eager' };
    }
    const opts = { allowUnstable: p.allowUnstable };
    const record = resolveRecord(p.spec, v.record, opts);
    if (v.case >= p.B)
      throw new UsageError(
        `--case ${v.case} is out of range: the inputs hold ${p.B} case(s) (0..${p.B - 1})`,
      );
    const Tini = p.Tini.get(v.case);
    const sigma = p.sigma.get(v.case);
    const out = recordOf(p.spec, v.output, record, opts);
    const f = argnumOf(v.wrt) === 0 ? (x: Tensor) => out(x, sigma) : (x: Tensor) => out(Tini, x);
    const x = argnumOf(v.wrt) === 0 ? Tini : sigma;
    const ran =
      plan.kind === 'compiled' && mode.dense
        ? await runPlanned(plan, (xx: Tensor): JacobianResult => ({ jacobian: mode.dense!(f)(xx) }), [x])
        : await runPlanned({ kind: 'eager' }, (xx: Tensor) => mode.jacobian(f, xx), [x]);
    const { jacobian, sparse, report } = ran.result;
    checkFiniteResults(p, { jacobian }, { caseIndex: v.case });
    const extra: OutputFile[] = [];
    const patternReport: Record<string, unknown> = {};
    if (patternOut !== undefined) {
      let matrix = sparse;
      if (!matrix) {
        // the dense modes know no pattern: detect it (not from the values, which can vanish by accident)
        const [pattern, detectSeconds] = timed(() => jacobianSparsity(f)(x));
        matrix = onPattern(pattern, jacobian);
        Object.assign(patternReport, { nnz: pattern.nnz, detect_seconds: detectSeconds });
      }
      const comment = [
        `rte jacobian: d${v.output}[record ${record}]/d${v.wrt}, case ${v.case}, N=${p.spec.N}, mode ${mode.name}`,
        `rows: output cells; columns: input cells; ${matrix.nnz} entries from structural sparsity detection`,
      ].join('\n');
      extra.push({
        what: `--pattern-out ${patternOut}`,
        path: userPath(patternOut),
        bytes: toMatrixMarketBytes(v['pattern-values'] ? matrix : matrix.pattern, { comment }),
      });
    }
    const files = await writeResults(p, { 'jacobian.npy': jacobian }, extra);
    return {
      command: 'jacobian',
      dtype: p.dtype,
      ...ranFields(ran),
      output: v.output,
      record,
      wrt: v.wrt,
      case: v.case,
      mode: mode.name,
      ...report,
      ...patternReport,
      shapes: shapesOf({ Tini: p.Tini, sigma: p.sigma, jacobian }),
      files,
    };
  },
});
