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
import type { Aval, Tensor } from '../tensor/tensor';
import { addMaybe, instantiate, isDifferentiable, type Maybe, zerosOf } from './helpers';
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

let replaying = false;

/**
 * Run `f` with reverse mode of `scan` in its replaying form (unrolled backward steps): what a target that
 * unrolls every loop anyway compiles best (gpu.js's pipelines keep the state on the device step by step, and
 * stored per-step carries would have to travel through the host).
 */
export function withReplayedScans<T>(f: () => T): T {
  const before = replaying;
  replaying = true;
  try {
    return f();
  } finally {
    replaying = before;
  }
}

let residualForms = 0;
/** How many scans have been given the residual (non-replaying) reverse mode so far: a staging that did not
 * change it stages the same program in either form. */
export const residualScanCount = (): number => residualForms;

export function scanVjp(primals: Tensor[], params: ScanParams): [Tensor[], Pullback] {
  if (replaying) return replayVjp(primals, params);
  residualForms++;
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

/**
 * The replaying form (for targets that unroll loops: gpu.js's pipelines): the forward pass keeps only the carry
 * at the start of each of `checkpoints` segments (default ⌈√length⌉); the pullback replays one segment at a
 * time under vjp and walks it backwards, unrolled at trace time. Memory grows with checkpoints + Nt/checkpoints
 * steps instead of Nt.
 */
function replayVjp(primals: Tensor[], params: ScanParams): [Tensor[], Pullback] {
  const { jaxpr, numConsts: nC, numCarry: nK, length } = params;
  const consts = primals.slice(0, nC);
  const xs = primals.slice(nC + nK);
  const checkpoints = params.checkpoints > 0 ? params.checkpoints : Math.max(1, Math.ceil(Math.sqrt(length)));
  const segment = Math.max(1, Math.ceil(length / checkpoints));
  const starts: number[] = [];
  const saved: Tensor[][] = [];
  const ysParts: Tensor[][] = [];
  let carry = primals.slice(nC, nC + nK);
  for (let start = 0; start < length; start += segment) {
    const len = Math.min(segment, length - start);
    starts.push(start);
    saved.push(carry);
    const outs = bind(P.scan, [...consts, ...carry, ...xs.map((x) => sliceAxis(x, 0, start, start + len))], {
      ...params,
      length: len,
    });
    carry = outs.slice(0, nK);
    ysParts.push(outs.slice(nK));
  }
  // A zero-length scan has no segments: its ys are empty stacks.
  const ys = jaxpr.outVars.slice(nK).map((v, k) =>
    ysParts.length === 0
      ? zerosOf({ shape: [0, ...v.aval.shape], dtype: v.aval.dtype })
      : ysParts.length === 1
        ? ysParts[0]![k]!
        : cat(
            ysParts.map((p) => p[k]!),
            0,
          ),
  );
  const step = (x: Tensor, i: number) => reshape(sliceAxis(x, 0, i, i + 1), x.shape.slice(1));
  const stepAval = (x: Tensor): Aval => ({ shape: x.shape.slice(1), dtype: x.dtype });

  const pullback: Pullback = (cts) => {
    let ctCarry = cts.slice(0, nK);
    const ctYs = cts.slice(nK);
    let ctConsts: Maybe[] = consts.map(() => null);
    const ctXs: Maybe[][] = xs.map(() => new Array<Maybe>(length).fill(null));
    for (let s = starts.length - 1; s >= 0; s--) {
      const start = starts[s]!;
      const len = Math.min(segment, length - start);
      const pullbacks: Pullback[] = [];
      let c = saved[s]!;
      for (let j = 0; j < len; j++) {
        const [outs, pb] = vjpFlat(
          (ins) => evalJaxpr(jaxpr, ins),
          [...consts, ...c, ...xs.map((x) => step(x, start + j))],
        );
        c = outs.slice(0, nK);
        pullbacks.push(pb);
      }
      for (let j = len - 1; j >= 0; j--) {
        const ctY = ctYs.map((ct) => (ct ? step(ct, start + j) : null));
        const ctIn = pullbacks[j]!([...ctCarry, ...ctY]);
        pullbacks.length = j;
        ctConsts = ctConsts.map((a, i) => addMaybe(a, ctIn[i]!));
        ctCarry = ctIn.slice(nC, nC + nK);
        ctIn.slice(nC + nK).forEach((ct, k) => {
          ctXs[k]![start + j] = ct;
        });
      }
    }
    const stacked = ctXs.map((parts, k) =>
      parts.every((p) => p === null)
        ? null
        : cat(
            parts.map((p) => reshape(instantiate(p, stepAval(xs[k]!)), [1, ...xs[k]!.shape.slice(1)])),
            0,
          ),
    );
    return [...ctConsts, ...ctCarry, ...stacked];
  };
  return [[...carry, ...ys], pullback];
}
