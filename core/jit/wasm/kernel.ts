/**
 * From a fused block to kernels of the WebAssembly target: the element of a materialised value at a symbolic
 * index, built by walking its producers backwards through the rule table below (one rule per primitive, the
 * table total, as every transform's is). Movement ops only map the index; elementwise ops build nodes;
 * reductions and contractions become `reduce` nodes (short ones unrolled); concat and pad become `cond`
 * nodes that the loop emitter decides by splitting loops at their bounds.
 */
import { P, type ParamsOf, type PrimName } from '../../interpreter/primitives';
import type { Eqn, Var } from '../../ir/jaxpr';
import type { DType } from '../../tensor/dtype';
import { type Shape, sizeOf, stridesOf } from '../../tensor/shape';
import {
  type Affine,
  affAdd,
  affAtom,
  affConst,
  affOffset,
  affScale,
  isConst,
  reshapeIndex,
} from '../affine';
import type { Analysis } from '../fuse';
import { JitUnsupported } from '../layout';
import { type Lit, litAt } from '../lit';
import { type BinFn, type CmpFn, Graph, type Node, type Ty, type UnFn } from './expr';

export const tyOf = (d: DType): Ty => (d === 'float32' ? 'f32' : d === 'float64' ? 'f64' : 'i32');

/** A kernel argument: a value of the block (array input, materialised value, scan result) or a literal. */
export type KernelArg = { readonly k: 'var'; readonly v: Var } | { readonly k: 'lit'; readonly lit: Lit };

export interface Kernel {
  readonly graph: Graph;
  /** One expression per output, all over the same loop atoms (siblings share their loads and index math). */
  readonly roots: readonly Node[];
  /** One atom per output dimension, outermost first. */
  readonly loopAtoms: readonly string[];
  readonly shape: Shape;
  /**
   * Per output: whether it lacks the row axis (the shape's second-to-last, which the loop emitter unrolls):
   * a reduction over the rows of the first output, computed while an unrolled loop holds them in registers.
   */
  readonly rowless: readonly boolean[];
  readonly ty: Ty;
  readonly args: readonly KernelArg[];
}

/** Reductions up to this many terms are unrolled into the expression. */
const UNROLL = 16;

type Ctx = KernelBuilder;
type Rule<K extends PrimName> = (b: Ctx, e: Eqn & { params: ParamsOf<K> }, idx: readonly Affine[]) => Node;

/** Index of the broadcast operand `s` inside an output index of rank idx.length. */
function broadcastIndex(s: Shape, idx: readonly Affine[]): Affine[] {
  const off = idx.length - s.length;
  return s.map((n, j) => (n === 1 ? affConst(0) : idx[j + off]!));
}

const operand = (b: Ctx, e: Eqn, i: number, idx: readonly Affine[]) =>
  b.gen(e.inputs[i]!, broadcastIndex(e.inputs[i]!.aval.shape, idx));
const unaryRule =
  (fn: UnFn): Rule<any> =>
  (b, e, idx) =>
    b.g.un(fn, operand(b, e, 0, idx));
const binaryRule =
  (fn: BinFn): Rule<any> =>
  (b, e, idx) => {
    const x = operand(b, e, 0, idx);
    const y = operand(b, e, 1, idx);
    if (fn === 'div' && x.ty === 'i32') {
      // integer division truncates (as the CPU backend does); computed in f64 so a zero divisor cannot trap
      const q = b.g.un('trunc', b.g.bin('div', b.g.cast('f64', x), b.g.cast('f64', y)));
      return b.g.cast('i32', q);
    }
    return b.g.bin(fn, x, y);
  };
const compareRule =
  (fn: CmpFn): Rule<any> =>
  (b, e, idx) =>
    b.g.cmp(fn, operand(b, e, 0, idx), operand(b, e, 1, idx));
const reduceRule =
  (fn: 'sum' | 'max' | 'min'): Rule<'sum'> =>
  (b, e, idx) => {
    const x = e.inputs[0]!;
    const axes: readonly number[] = e.params.axes;
    const shape = x.aval.shape;
    return b.accumulate(
      axes.map((a) => shape[a]!),
      fn,
      (r) => {
        let k = 0;
        let j = 0;
        return b.gen(
          x,
          shape.map((_, d) => (axes.includes(d) ? r[k++]! : idx[j++]!)),
        );
      },
      tyOf(e.outputs[0]!.aval.dtype),
    );
  };

function powScalar(b: Ctx, x: Node, p: number): Node {
  const g = b.g;
  if (p === 1) return x;
  if (p === 2) return g.bin('mul', x, x);
  if (p === 3) return g.bin('mul', g.bin('mul', x, x), x);
  if (p === 4) {
    const x2 = g.bin('mul', x, x);
    return g.bin('mul', x2, x2);
  }
  if (p === 0.5) return g.un('sqrt', x);
  if (p === -1) return g.bin('div', g.const(x.ty, 1), x);
  return g.bin('pow', x, g.const(x.ty, p));
}

/** The rule of every primitive: the element of its output at `idx` (scan is lowered by the program). */
const rules: { [K in PrimName]: Rule<K> } = {
  neg: unaryRule('neg'),
  sin: unaryRule('sin'),
  cos: unaryRule('cos'),
  tan: unaryRule('tan'),
  exp: unaryRule('exp'),
  log: unaryRule('log'),
  sqrt: unaryRule('sqrt'),
  tanh: unaryRule('tanh'),
  // logistic(x) = 1 / (1 + exp(-x))
  logistic: (b, e, idx) => {
    const x = operand(b, e, 0, idx);
    const one = b.g.const(x.ty, 1);
    return b.g.bin('div', one, b.g.bin('add', one, b.g.un('exp', b.g.un('neg', x))));
  },
  abs: unaryRule('abs'),
  // sign(x): 1, -1, or x itself for ±0 and NaN
  sign: (b, e, idx) => {
    const g = b.g;
    const x = operand(b, e, 0, idx);
    const zero = g.const(x.ty, 0);
    return g.select(
      g.cmp('gt', x, zero),
      g.const(x.ty, 1),
      g.select(g.cmp('lt', x, zero), g.const(x.ty, -1), x),
    );
  },
  powScalar: (b, e, idx) => powScalar(b, operand(b, e, 0, idx), e.params.p),
  add: binaryRule('add'),
  sub: binaryRule('sub'),
  mul: binaryRule('mul'),
  div: binaryRule('div'),
  pow: binaryRule('pow'),
  maximum: binaryRule('max'),
  minimum: binaryRule('min'),
  lt: compareRule('lt'),
  le: compareRule('le'),
  gt: compareRule('gt'),
  ge: compareRule('ge'),
  eq: compareRule('eq'),
  ne: compareRule('ne'),
  where: (b, e, idx) => {
    const c = operand(b, e, 0, idx);
    return b.g.select(b.g.cmp('ne', c, b.g.const('i32', 0)), operand(b, e, 1, idx), operand(b, e, 2, idx));
  },
  cast: (b, e, idx) => {
    const x = operand(b, e, 0, idx);
    const to = e.params.dtype;
    if (to === 'bool') return b.g.cmp('ne', x, b.g.const(x.ty, 0));
    if (tyOf(to) === 'i32' && x.ty !== 'i32') return b.g.cast('i32', b.g.un('trunc', x));
    return b.g.cast(tyOf(to), x);
  },
  sum: reduceRule('sum'),
  max: reduceRule('max'),
  min: reduceRule('min'),
  // each ⌊e / k⌋ a derived index atom of the graph
  reshape: (b, e, idx) =>
    b.gen(
      e.inputs[0]!,
      reshapeIndex(e.inputs[0]!.aval.shape, e.outputs[0]!.aval.shape, idx, (r, k) =>
        affAtom(b.g.floorDiv(r, k)),
      ),
    ),
  expand: (b, e, idx) => operand(b, e, 0, idx),
  transpose: (b, e, idx) => {
    const perm: readonly number[] = e.params.perm;
    const inIdx = new Array<Affine>(perm.length);
    perm.forEach((p, d) => {
      inIdx[p] = idx[d]!;
    });
    return b.gen(e.inputs[0]!, inIdx);
  },
  slice: (b, e, idx) =>
    b.gen(
      e.inputs[0]!,
      idx.map((x, d) => affOffset(affScale(x, e.params.steps[d]!), e.params.starts[d]!)),
    ),
  flip: (b, e, idx) => {
    const shape = e.inputs[0]!.aval.shape;
    return b.gen(
      e.inputs[0]!,
      idx.map((x, d) => (e.params.axes.includes(d) ? affOffset(affScale(x, -1), shape[d]! - 1) : x)),
    );
  },
  pad: (b, e, idx) => {
    const x = e.inputs[0]!;
    const { lo, interior, value } = e.params;
    const g = b.g;
    const fill = g.const(tyOf(x.aval.dtype), value);
    const tests: [Affine, number, number][] = [];
    const inIdx = x.aval.shape.map((n, d) => {
      const s = interior[d]! + 1;
      const rel = affOffset(idx[d]!, -lo[d]!);
      tests.push([rel, 0, (n - 1) * s]);
      if (s === 1) return rel;
      const q = affAtom(g.floorDiv(rel, s));
      tests.push([affAdd(rel, affScale(q, -s)), 0, 0]);
      return q;
    });
    let out = b.gen(x, inIdx);
    for (const [t, l, h] of tests) out = g.cond(t, l, h, out, fill);
    return out;
  },
  concat: (b, e, idx) => {
    const axis = e.params.axis;
    const ex = idx[axis]!;
    const pieces: { v: Var; off: number; n: number }[] = [];
    let off = 0;
    for (const v of e.inputs) {
      const n = v.aval.shape[axis]!;
      if (n > 0) pieces.push({ v, off, n });
      off += n;
    }
    const at = (p: { off: number }) => idx.map((x, d) => (d === axis ? affOffset(x, -p.off) : x));
    // the last piece also answers beyond the end (never read: the loops stay in the output's bounds)
    let out = b.gen(pieces.at(-1)!.v, at(pieces.at(-1)!));
    for (let k = pieces.length - 2; k >= 0; k--) {
      const p = pieces[k]!;
      out = b.g.cond(ex, Number.MIN_SAFE_INTEGER, p.off + p.n - 1, b.gen(p.v, at(p)), out);
    }
    return out;
  },
  matmul: (b, e, idx) => {
    const [x, y] = e.inputs as [Var, Var];
    const rank = idx.length;
    const K = x.aval.shape[rank - 1]!;
    const batch = idx.slice(0, rank - 2);
    return b.accumulate(
      [K],
      'sum',
      ([k]) =>
        b.g.bin('mul', b.gen(x, [...batch, idx[rank - 2]!, k!]), b.gen(y, [...batch, k!, idx[rank - 1]!])),
      tyOf(e.outputs[0]!.aval.dtype),
    );
  },
  gather: (b, e, idx) => {
    const [x, ix] = e.inputs as [Var, Var];
    const axis = e.params.axis;
    const at = b.gen(ix, idx);
    const st = stridesOf(x.aval.shape);
    let base = affConst(0);
    idx.forEach((t, d) => {
      if (d !== axis) base = affAdd(base, affScale(t, st[d]!));
    });
    return b.g.gather(tyOf(x.aval.dtype), b.argOf(x), base, st[axis]!, x.aval.shape[axis]!, at);
  },
  // base + Σ_j [idx[j] = i] · upd[j] along the axis
  scatterAdd: (b, e, idx) => {
    const [base, ix, upd] = e.inputs as [Var, Var, Var];
    const axis = e.params.axis;
    const g = b.g;
    const target = g.idx(idx[axis]!);
    const ty = tyOf(e.outputs[0]!.aval.dtype);
    const sum = b.accumulate(
      [ix.aval.shape[axis]!],
      'sum',
      ([j]) => {
        const at = idx.map((t, d) => (d === axis ? j! : t));
        return g.select(g.cmp('eq', b.gen(ix, at), target), b.gen(upd, at), g.const(ty, 0));
      },
      ty,
    );
    return g.bin('add', b.gen(base, idx), sum);
  },
  scan: () => {
    throw new Error('jit wasm: a scan is lowered by the program, not inside a kernel');
  },
};

export class KernelBuilder {
  readonly g = new Graph();
  readonly args: KernelArg[] = [];
  private readonly argIndex = new Map<unknown, number>();
  private readonly memo = new Map<string, Node>();

  private readonly targets: ReadonlySet<Var>;

  constructor(
    private readonly an: Analysis,
    private readonly outputs: readonly Var[],
  ) {
    this.targets = new Set(outputs);
  }

  argOf(v: Var): number {
    const lit = this.an.lits.get(v);
    const key = lit ?? v;
    let i = this.argIndex.get(key);
    if (i === undefined) {
      i = this.args.length;
      this.args.push(lit ? { k: 'lit', lit } : { k: 'var', v });
      this.argIndex.set(key, i);
    }
    return i;
  }

  /** The element of `v` at `idx`. */
  gen(v: Var, idx: readonly Affine[]): Node {
    const key = `${v.id}@${idx.map((a) => `${a.c}${a.t.map(([n, k]) => `+${k}*${n}`).join('')}`).join(',')}`;
    let n = this.memo.get(key);
    if (!n) {
      n = this.genUncached(v, idx);
      this.memo.set(key, n);
    }
    return n;
  }

  private linear(shape: Shape, idx: readonly Affine[]): Affine {
    const st = stridesOf(shape);
    let lin = affConst(0);
    idx.forEach((t, d) => {
      if (shape[d]! > 1) lin = affAdd(lin, affScale(t, st[d]!));
    });
    return lin;
  }

  private genUncached(v: Var, idx: readonly Affine[]): Node {
    const ty = tyOf(v.aval.dtype);
    const lit = this.an.lits.get(v);
    if (lit) {
      if (lit.splat !== null) return this.g.const(ty, lit.splat);
      const at = idx.map((e, d) => (lit.varying[d] ? e : affConst(0)));
      if (at.every(isConst))
        return this.g.const(
          ty,
          litAt(
            lit,
            at.map((e) => e.c),
          ),
        );
      return this.g.load(ty, this.argOf(v), this.linear(lit.shape, at));
    }
    const e = this.an.producer.get(v);
    if (!e || e.prim === P.scan || (!this.targets.has(v) && this.an.materialize.has(v)))
      return this.g.load(ty, this.argOf(v), this.linear(v.aval.shape, idx));
    return this.inline(e, idx);
  }

  inline(e: Eqn, idx: readonly Affine[]): Node {
    const rule = rules[e.prim.name as PrimName] as Rule<any> | undefined;
    if (!rule) throw new JitUnsupported(`jit wasm: no kernel rule for primitive '${e.prim.name}'`);
    return rule(this, e, idx);
  }

  /** fn of `term(r)` over the index tuples of `dims`: unrolled when short, else nested reduce nodes. */
  accumulate(dims: readonly number[], fn: 'sum' | 'max' | 'min', term: (r: Affine[]) => Node, ty: Ty): Node {
    const total = sizeOf(dims);
    const g = this.g;
    const combine = (a: Node, b: Node) => g.bin(fn === 'sum' ? 'add' : fn, a, b);
    if (total === 0) return g.const(ty, fn === 'sum' ? 0 : fn === 'max' ? -Infinity : Infinity);
    if (total <= UNROLL) {
      const st = stridesOf(dims);
      let acc: Node | null = null;
      for (let f = 0; f < total; f++) {
        const t = term(dims.map((n, k) => affConst(Math.floor(f / st[k]!) % n)));
        acc = acc === null ? t : combine(acc, t);
      }
      return acc!;
    }
    const nest = (k: number, r: Affine[]): Node => {
      if (k === dims.length) return term(r);
      const a = g.atom('r', [0, dims[k]! - 1]);
      return g.reduce(fn, a, dims[k]!, nest(k + 1, [...r, affAtom(a)]));
    };
    return nest(0, []);
  }

  build(): Kernel {
    const first = this.outputs[0]!;
    const shape = first.aval.shape;
    const loopAtoms = shape.map((n) => this.g.atom('i', [0, n - 1]));
    const idx = loopAtoms.map(affAtom);
    const rowless = this.outputs.map((v) => v.aval.shape.length !== shape.length);
    const roots = this.outputs.map((v, j) => {
      const at = rowless[j] ? idx.filter((_, d) => d !== shape.length - 2) : idx;
      const e = this.an.producer.get(v);
      return e && e.prim !== P.scan ? this.inline(e, at) : this.gen(v, at);
    });
    return { graph: this.g, roots, loopAtoms, shape, rowless, ty: tyOf(first.aval.dtype), args: this.args };
  }
}

/**
 * The kernel computing materialised values `vs` of the analysed block: one value, or siblings of one dtype (see
 * siblingGroups) computed in the same loop nest — of the first one's shape, or of that shape without its row
 * axis (reductions over the first one's rows, which read it inline: every output is a target).
 */
export function kernelOf(an: Analysis, vs: readonly Var[]): Kernel {
  return new KernelBuilder(an, vs).build();
}
