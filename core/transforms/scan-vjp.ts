/**
 * Reverse mode of `scan`, written as scans so the backward pass is a loop too (jit compiles it as one):
 * - residuals: the forward scan also emits the carry entering each step; the pullback is a second scan over
 *   the reversed steps whose body is the body's own pullback at that carry (cotangents of the constants
 *   summed in its carry). Memory: length × carry, time: about a forward pass for the backward.
 * - checkpoints: when that memory is over budget (or `checkpoints` asks for it), the loop is first nested as
 *   a scan of C segments over a scan of length/C steps, and reverse mode of that nest stores the C segment
 *   starts and, while one segment is walked backwards, its steps: memory C + length/C carries, one extra
 *   forward pass.
 */
import { scan } from '../control/scan';
import { P, type ScanParams } from '../interpreter/primitives';
import { bind } from '../interpreter/trace';
import { evalJaxpr } from '../ir/jaxpr';
import { add } from '../ops/elementwise';
import { cat, flip, reshape, sliceAxis } from '../ops/shape';
import { sizeOf } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { instantiate, isDifferentiable, type Maybe, zerosOf } from './helpers';
import { vjpFlat } from './vjp';

type Pullback = (cts: Maybe[]) => Maybe[];

/** Residuals (the carry of every step) are kept up to this many bytes per scan; beyond, checkpoints. */
export const RESIDUAL_BUDGET_BYTES = 64 * 2 ** 20;

const bytesOf = (t: { shape: readonly number[]; dtype: string }) =>
  sizeOf(t.shape) * (t.dtype === 'float64' ? 8 : 4);

/** How many segments reverse mode splits a scan into (1: residuals of every step, no nesting). */
export function segmentsFor(params: ScanParams, carry: readonly Tensor[]): number {
  const { length, checkpoints } = params;
  if (checkpoints > 0) return checkpoints >= length ? 1 : checkpoints;
  const residual = length * carry.reduce((s, c) => s + bytesOf(c), 0);
  return residual <= RESIDUAL_BUDGET_BYTES ? 1 : Math.max(1, Math.ceil(Math.sqrt(length)));
}

export function scanVjp(primals: Tensor[], params: ScanParams): [Tensor[], Pullback] {
  const { numConsts: nC, numCarry: nK, length } = params;
  const carry = primals.slice(nC, nC + nK);
  const segments = segmentsFor(params, carry);
  if (length > 1 && segments > 1) return vjpFlat((ins) => nested(ins, params, segments), primals);
  return residualVjp(primals, params);
}

/** The same loop as a scan of `segments` scans (plus a tail), each level storing its own residuals. */
function nested(ins: Tensor[], params: ScanParams, segments: number): Tensor[] {
  const { numConsts: nC, numCarry: nK, length } = params;
  const consts = ins.slice(0, nC);
  const xs = ins.slice(nC + nK);
  const seg = Math.ceil(length / segments);
  const full = Math.floor(length / seg);
  const rest = length - full * seg;
  const inner = (c: Tensor[], x: Tensor[], n: number) =>
    bind(P.scan, [...consts, ...c, ...x], { ...params, length: n, checkpoints: n });
  const split = (x: Tensor) => reshape(sliceAxis(x, 0, 0, full * seg), [full, seg, ...x.shape.slice(1)]);
  const [carry, ysMain] = scan(
    (c: Tensor[], x: Tensor[]) => {
      const o = inner(c, x, seg);
      return [o.slice(0, nK), o.slice(nK)];
    },
    ins.slice(nC, nC + nK),
    xs.map(split),
    { length: full, checkpoints: full },
  );
  let ys = ysMain.map((y) => reshape(y, [full * seg, ...y.shape.slice(2)]));
  let last = carry;
  if (rest > 0) {
    const o = inner(
      carry,
      xs.map((x) => sliceAxis(x, 0, full * seg, length)),
      rest,
    );
    last = o.slice(0, nK);
    ys = ys.map((y, k) => cat([y, o[nK + k]!], 0));
  }
  return [...last, ...ys];
}

/** Residuals of every step, and the pullback as a reverse scan over them. */
function residualVjp(primals: Tensor[], params: ScanParams): [Tensor[], Pullback] {
  const { jaxpr, numConsts: nC, numCarry: nK, length } = params;
  const consts = primals.slice(0, nC);
  const carry0 = primals.slice(nC, nC + nK);
  const xs = primals.slice(nC + nK);
  const nY = jaxpr.outVars.length - nK;
  const ysAvals = jaxpr.outVars.slice(nK).map((v) => v.aval);
  if (length === 0) {
    const outs = bind(P.scan, primals, params);
    return [outs, (cts) => [...consts.map(() => null), ...cts.slice(0, nK), ...xs.map(() => null)]];
  }
  const [carry, recorded] = scan(
    (c: Tensor[], x: Tensor[]) => {
      const outs = evalJaxpr(jaxpr, [...consts, ...c, ...x]);
      return [outs.slice(0, nK), [...outs.slice(nK), ...c]];
    },
    carry0,
    xs,
    { length, checkpoints: length },
  );
  const ys = recorded.slice(0, nY);
  const residuals = recorded.slice(nY);
  const stepAvals = xs.map((x) => ({ shape: x.shape.slice(1), dtype: x.dtype }));
  const diffConsts = consts.map((c) => isDifferentiable(c));

  const pullback: Pullback = (cts) => {
    const ctCarry = carry0.map((c, k) => instantiate(cts[k] ?? null, c));
    const ctYs = ysAvals.map((a, k) =>
      instantiate(cts[nK + k] ?? null, { shape: [length, ...a.shape], dtype: a.dtype }),
    );
    const ctConsts0 = consts.filter((_, i) => diffConsts[i]).map((c) => zerosOf(c));
    const reversed = (t: Tensor) => flip(t, [0]);
    const [final, ctXsRev] = scan(
      (state: Tensor[], step: Tensor[]) => {
        const ctC = state.slice(0, nK);
        const acc = state.slice(nK);
        const res = step.slice(0, nK);
        const x = step.slice(nK, nK + xs.length);
        const ctY = step.slice(nK + xs.length);
        const [, pb] = vjpFlat((ins) => evalJaxpr(jaxpr, ins), [...consts, ...res, ...x]);
        const ctIn = pb([...ctC, ...ctY]);
        let j = 0;
        const nextAcc = consts.flatMap((_, i) =>
          diffConsts[i] ? [ctIn[i] ? add(acc[j++]!, ctIn[i]!) : acc[j++]!] : [],
        );
        const nextCtC = carry0.map((c, k) => instantiate(ctIn[nC + k] ?? null, c));
        const ctX = stepAvals.map((a, k) => instantiate(ctIn[nC + nK + k] ?? null, a));
        return [[...nextCtC, ...nextAcc], ctX];
      },
      [...ctCarry, ...ctConsts0],
      [...residuals.map(reversed), ...xs.map(reversed), ...ctYs.map(reversed)],
      { length, checkpoints: length },
    );
    let j = 0;
    const ctConsts = consts.map((_, i) => (diffConsts[i] ? final[nK + j++]! : null));
    return [...ctConsts, ...final.slice(0, nK), ...ctXsRev.map(reversed)];
  };
  return [[...carry, ...ys], pullback];
}
