/**
 * The interpreter stack (after Autodidax): every transform pushes a MainTrace; `bind` hands a primitive to
 * the trace of the highest level among its arguments, which applies its rule and binds again one level down.
 */
import type { Aval, Tensor } from '../tensor/tensor';
import { type ConcreteTensor, Tensor as TensorBase } from '../tensor/tensor';
import type { Backend } from './backend';
import type { Primitive } from './primitive';

export class MainTrace<G = unknown> {
  constructor(
    readonly level: number,
    readonly makeTrace: (main: MainTrace<G>) => Trace,
    readonly globalData: G,
  ) {}
}

export abstract class Trace {
  constructor(readonly main: MainTrace<any>) {}
  /** Wrap a value from no trace at all (a concrete tensor). */
  abstract pure(x: Tensor): Tracer;
  /** Wrap a tracer from a lower level. */
  abstract lift(x: Tensor): Tracer;
  abstract processPrimitive(prim: Primitive<any>, tracers: Tracer[], params: any): Tensor[];
}

export abstract class Tracer extends TensorBase {
  abstract readonly trace: Trace;
  abstract readonly aval: Aval;

  get shape() {
    return this.aval.shape;
  }

  get dtype() {
    return this.aval.dtype;
  }

  /** A tracer that carries no information at its level may drop to the value below. */
  fullLower(): Tensor {
    return this;
  }

  concrete(reading: string): ConcreteTensor {
    throw new Error(
      `${reading}: cannot read the values of a traced tensor (shape [${this.shape}], ${this.dtype}) inside a transform ` +
        '(vmap, grad, jvp, ...); compute with tensor ops instead, or read the result after the transform returns',
    );
  }
}

/** A tracer over a primal value from the level below (jvp, vjp): it has the primal's aval. */
export abstract class PrimalTracer extends Tracer {
  constructor(
    readonly trace: Trace,
    readonly primal: Tensor,
  ) {
    super();
  }

  get aval(): Aval {
    return this.primal;
  }

  /** True when the tracer carries nothing at its level (a zero tangent, a constant), so it can drop. */
  protected abstract get trivial(): boolean;

  override fullLower(): Tensor {
    return this.trivial ? this.primal : this;
  }
}

class EvalTrace extends Trace {
  pure(x: Tensor): Tracer {
    return x as unknown as Tracer;
  }

  lift(x: Tensor): Tracer {
    return x as unknown as Tracer;
  }

  processPrimitive(prim: Primitive<any>, values: Tracer[], params: any): Tensor[] {
    const args = values as unknown as ConcreteTensor[];
    return prim.impl ? prim.impl(args, params) : currentBackend().execute(prim, args, params);
  }
}

const stack: MainTrace<any>[] = [new MainTrace(0, (m) => new EvalTrace(m), undefined)];
let dynamic: MainTrace<any> | null = null;
let backend: Backend | null = null;

/** Make `b` the backend that evaluates primitives on concrete tensors from now on. */
export function setBackend(b: Backend): void {
  backend = b;
}

/** The backend that evaluates primitives on concrete tensors now. */
export function currentBackend(): Backend {
  if (!backend) throw new Error('no backend installed: import the package through core/index.ts');
  return backend;
}

/** Whether a transform or a staging is in progress (then even a value computed from constants may be traced). */
export function underTransform(): boolean {
  return stack.length > 1;
}

/** Run `fn` with a new trace on top of the stack; `isDynamic` makes it take every bind (staging for jit). */
export function withMain<G, R>(
  makeTrace: (main: MainTrace<G>) => Trace,
  globalData: G,
  fn: (main: MainTrace<G>) => R,
  isDynamic = false,
): R {
  const main = new MainTrace<G>(stack.length, makeTrace, globalData);
  stack.push(main);
  const prevDynamic = dynamic;
  if (isDynamic) dynamic = main;
  try {
    return fn(main);
  } finally {
    stack.pop();
    dynamic = prevDynamic;
  }
}

function findTopTrace(args: readonly Tensor[]): Trace {
  let top: MainTrace<any> = stack[0]!;
  for (const a of args) if (a instanceof Tracer && a.trace.main.level > top.level) top = a.trace.main;
  if (dynamic && dynamic.level > top.level) top = dynamic;
  return top.makeTrace(top);
}

export function fullRaise(trace: Trace, x: Tensor): Tracer {
  if (!(x instanceof Tracer)) return trace.pure(x);
  const level = trace.main.level;
  if (x.trace.main === trace.main) return x;
  if (x.trace.main.level < level) return trace.lift(x);
  if (x.trace.main.level > level)
    throw new Error(
      `a tracer from level ${x.trace.main.level} escaped its transform and was used at level ${level}`,
    );
  throw new Error(`a tracer from another transform at level ${level} was used (it escaped its transform)`);
}

export function fullLower(x: Tensor): Tensor {
  return x instanceof Tracer ? x.fullLower() : x;
}

export function bind(prim: Primitive<any>, args: readonly Tensor[], params: any): Tensor[] {
  const trace = findTopTrace(args);
  const tracers = args.map((a) => fullRaise(trace, a));
  return trace.processPrimitive(prim, tracers, params).map(fullLower);
}

export function bind1(prim: Primitive<any>, args: readonly Tensor[], params: any): Tensor {
  return bind(prim, args, params)[0]!;
}
