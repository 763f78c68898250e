/**
 * Loops as one primitive. `scan(body, init, xs)` stages `body` once (closure-converted) and binds a single
 * `scan`, so every transform sees the loop whole: vmap batches the body, jvp carries tangents through it, and
 * reverse mode runs it backwards as another scan over stored carries, recomputing from checkpoints when the
 * carries of every step would not fit (transforms/scan-vjp.ts).
 */

import { P } from '../interpreter/primitives';
import { bind } from '../interpreter/trace';
import { makeJaxpr } from '../ir/stage';
import { fmt } from '../tensor/shape';
import { describe, flatten, type TreeDef, treeEqual, unflatten } from '../util/pytree';

/** Options of {@link scan}. */
export interface ScanOptions {
  /** Number of steps when there are no xs. */
  length?: number;
  /**
   * Segments for reverse mode: each segment's start is stored and its steps are recomputed when it is walked
   * backwards (memory ~ checkpoints + length/checkpoints carries). 1 (or ≥ length) stores every step's carry.
   * Default: every step's carry when they fit in 64 MiB, else ⌈√length⌉ segments.
   */
  checkpoints?: number;
}

/** jax.lax.scan: `body(carry, x) → [carry, y]` over the leading axis of xs (or `length` steps), returning `[final carry, stacked ys]`; staged once, so every transform sees one loop. */
export function scan<C, X, Y>(
  body: (carry: C, x: X) => [C, Y],
  init: C,
  xs?: X | null,
  opts: ScanOptions = {},
): [C, Y] {
  const [carryLeaves, carryDef] = flatten(init);
  const [xLeaves, xDef] = flatten(xs ?? null);
  const lengths = new Set(xLeaves.map((x) => x.shape[0]));
  if (xLeaves.some((x) => x.ndim === 0))
    throw new Error('scan: every xs leaf needs a leading axis to scan over');
  if (lengths.size > 1)
    throw new Error(
      `scan: xs leaves disagree on their length: ${xLeaves.map((x) => fmt(x.shape)).join(', ')}`,
    );
  const length = opts.length ?? [...lengths][0];
  if (length === undefined || !Number.isInteger(length) || length < 0)
    throw new Error(`scan: give xs or a non-negative integer length, got ${opts.length}`);
  if (lengths.size === 1 && length !== [...lengths][0])
    throw new Error(`scan: length ${length} does not match xs of length ${[...lengths][0]}`);
  // 0: decided by reverse mode from the size of the carries (see transforms/scan-vjp.ts)
  const checkpoints = opts.checkpoints ?? 0;
  if (
    !Number.isInteger(checkpoints) ||
    checkpoints < 0 ||
    (opts.checkpoints !== undefined && checkpoints < 1)
  )
    throw new Error(`scan: checkpoints must be a positive integer, got ${opts.checkpoints}`);

  let yDef: TreeDef = { kind: 'static', value: undefined };
  const nK = carryLeaves.length;
  const closed = makeJaxpr(
    (...args) => {
      const carry = unflatten(carryDef, args.slice(0, nK)) as C;
      const x = unflatten(xDef, args.slice(nK)) as X;
      const result = body(carry, x);
      if (!Array.isArray(result) || result.length !== 2)
        throw new Error('scan: the body must return [carry, y]');
      const [newCarry, newDef] = flatten(result[0]);
      if (!treeEqual(newDef, carryDef))
        throw new Error(
          `scan: the body returned a carry shaped ${describe(newDef)}; it must keep the structure ${describe(carryDef)}`,
        );
      const [yLeaves, yd] = flatten(result[1]);
      yDef = yd;
      return [...newCarry, ...yLeaves];
    },
    [...carryLeaves, ...xLeaves.map((x) => ({ shape: x.shape.slice(1), dtype: x.dtype }))],
  );
  const args = [...closed.consts, ...carryLeaves, ...xLeaves];
  const params = { jaxpr: closed.jaxpr, numConsts: closed.consts.length, numCarry: nK, length, checkpoints };
  // Eager evaluation runs scan's impl without its shape rule, so check the carry here, once, for every path.
  P.scan.abstractEval(args, params);
  const outs = bind(P.scan, args, params);
  return [unflatten(carryDef, outs.slice(0, nK)), unflatten(yDef, outs.slice(nK))];
}

/** Apply `body` n times to a carry (a scan without per-step inputs or outputs). */
export function fori<C>(
  n: number,
  body: (carry: C) => C,
  init: C,
  opts: Omit<ScanOptions, 'length'> = {},
): C {
  return scan((c: C) => [body(c), null], init, null, { ...opts, length: n })[0];
}
