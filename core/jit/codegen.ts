/**
 * Kernel source generation: one gpu.js kernel per materialised value. The kernel computes the element at its
 * thread's index by walking the value's producers backwards, mapping the output index to input indices
 * (slices, pads, concats, broadcasts, reshapes, transposes, flips) and computing elementwise ops, small
 * reductions and contractions inline. Equal (value, index) pairs are computed once (CSE, per scope); concat
 * and pad become branches whose index ranges are narrowed inside, so reads stay in bounds without clamps.
 *
 * The result is a source string gpu.js parses and compiles itself (to WebAssembly, JavaScript or WGSL);
 * nothing here is evaluated by us.
 */
import { P, type PrimName } from '../interpreter/primitives';
import type { Eqn, Var } from '../ir/jaxpr';
import { type Shape, sizeOf, stridesOf } from '../tensor/shape';
import {
  type Affine,
  affAdd,
  affAtom,
  affConst,
  affKey,
  affOffset,
  affRange,
  affScale,
  affSrc,
  isConst,
  type Range,
  reshapeIndex,
} from './affine';
import type { Analysis } from './fuse';
import { JitUnsupported, type Layout, layoutOf } from './layout';
import { fnum, type Lit, litAt } from './lit';

/** A kernel argument: an array (block input, constant, materialised value) or a scan row index. */
export type KArg =
  | { readonly k: 'var'; readonly v: Var }
  | { readonly k: 'xsBase'; readonly v: Var }
  | { readonly k: 'it'; readonly v: Var; readonly level: number };

export interface KernelSpec {
  readonly source: string;
  /** gpu.js output dimensions (innermost first). */
  readonly dims: readonly number[];
  readonly loopMax: number;
  readonly args: readonly KArg[];
  /** Layout of each array argument (null for scalar `it` arguments). */
  readonly argLayouts: readonly (Layout | null)[];
  /** Identity for sharing one compiled gpu.js kernel between blocks. */
  readonly key: string;
}

/** Contractions and reductions up to this many terms are unrolled; longer ones loop. */
const UNROLL = 32;
/** A guard against runaway inlining: a kernel longer than this is refused (the program falls back). */
const MAX_LINES = 20_000;
/** A literal read at a varying index becomes a select when it reaches at most this many elements. */
const SELECT_MAX = 8;

const UNARY: Partial<Record<PrimName, (a: string) => string>> = {
  neg: (a) => `(-${a})`,
  sin: (a) => `Math.sin(${a})`,
  cos: (a) => `Math.cos(${a})`,
  tan: (a) => `Math.tan(${a})`,
  exp: (a) => `Math.exp(${a})`,
  log: (a) => `Math.log(${a})`,
  sqrt: (a) => `Math.sqrt(${a})`,
  tanh: (a) => `Math.tanh(${a})`,
  logistic: (a) => `(1.0 / (1.0 + Math.exp(-${a})))`,
  abs: (a) => `Math.abs(${a})`,
  sign: (a) => `Math.sign(${a})`,
};
const BINARY: Partial<Record<PrimName, (a: string, b: string) => string>> = {
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${b}`,
  mul: (a, b) => `${a} * ${b}`,
  div: (a, b) => `${a} / ${b}`,
  pow: (a, b) => `Math.pow(${a}, ${b})`,
  maximum: (a, b) => `Math.max(${a}, ${b})`,
  minimum: (a, b) => `Math.min(${a}, ${b})`,
  lt: (a, b) => `(${a} < ${b} ? 1.0 : 0.0)`,
  le: (a, b) => `(${a} <= ${b} ? 1.0 : 0.0)`,
  gt: (a, b) => `(${a} > ${b} ? 1.0 : 0.0)`,
  ge: (a, b) => `(${a} >= ${b} ? 1.0 : 0.0)`,
  eq: (a, b) => `(${a} === ${b} ? 1.0 : 0.0)`,
  ne: (a, b) => `(${a} !== ${b} ? 1.0 : 0.0)`,
};

function powScalar(a: string, p: number): string {
  if (p === 1) return a;
  if (p === 2) return `${a} * ${a}`;
  if (p === 3) return `${a} * ${a} * ${a}`;
  if (p === 4) return `(${a} * ${a}) * (${a} * ${a})`;
  if (p === 0.5) return `Math.sqrt(${a})`;
  if (p === -1) return `1.0 / ${a}`;
  return `Math.pow(${a}, ${fnum(p)})`;
}

/** Index of the broadcast operand `s` inside an output index of rank idx.length. */
function broadcastIndex(s: Shape, idx: readonly Affine[]): Affine[] {
  const off = idx.length - s.length;
  return s.map((n, j) => (n === 1 ? affConst(0) : idx[j + off]!));
}

/**
 * `x` clamped into [lo, hi]. The bounds are written as products (`lo * 1`): gpu.js's GLSL translation casts
 * integer expressions in Math calls to float but leaves bare integer literals as ints, and GLSL has no
 * max(float, int).
 */
const clampSrc = (x: string, lo: number, hi: number): string =>
  `Math.min(Math.max(${x}, ${lo} * 1), ${hi} * 1)`;

class KernelBuilder {
  private readonly lines: string[] = [];
  private depth = 1;
  private readonly cse: Map<string, string>[] = [new Map()];
  private readonly ranges: Map<string, Range>[] = [new Map()];
  private readonly argKeys = new Map<string, string>();
  readonly args: KArg[] = [];
  readonly argLayouts: (Layout | null)[] = [];
  private nextLocal = 0;
  loopMax = 0;

  constructor(
    private readonly an: Analysis,
    private readonly target: Var,
  ) {}

  emit(line: string): void {
    if (this.lines.length >= MAX_LINES)
      throw new JitUnsupported(
        `jit: the kernel for %${this.target.id} grew past ${MAX_LINES} statements; the fusion cost model let an expression explode`,
      );
    this.lines.push(`${'  '.repeat(this.depth)}${line}`);
  }

  fresh(prefix = 'v'): string {
    return `${prefix}${this.nextLocal++}`;
  }

  local(expr: string): string {
    const n = this.fresh();
    this.emit(`const ${n} = ${expr};`);
    return n;
  }

  rangeOf = (atom: string): Range => {
    for (let i = this.ranges.length - 1; i >= 0; i--) {
      const r = this.ranges[i]!.get(atom);
      if (r) return r;
    }
    throw new Error(`jit codegen: unknown index atom ${atom}`);
  };

  setRange(atom: string, r: Range): void {
    this.ranges[this.ranges.length - 1]!.set(atom, r);
  }

  /** Run `body` in a nested block whose index `e` is known to lie in [lo, hi] (inclusive). */
  scoped(e: Affine | null, lo: number, hi: number, body: () => void): void {
    this.cse.push(new Map());
    this.ranges.push(new Map());
    if (e && e.t.length === 1) {
      const [name, k] = e.t[0]!;
      const [alo, ahi] = this.rangeOf(name);
      // e = c + k·a ∈ [lo, hi]  ⇒  a ∈ [(lo−c)/k, (hi−c)/k] (swapped for k < 0)
      let l = (lo - e.c) / k;
      let h = (hi - e.c) / k;
      if (k < 0) [l, h] = [h, l];
      this.setRange(name, [Math.max(alo, Math.ceil(l)), Math.min(ahi, Math.floor(h))]);
    }
    this.depth++;
    body();
    this.depth--;
    this.cse.pop();
    this.ranges.pop();
  }

  private lookup(key: string): string | undefined {
    for (let i = this.cse.length - 1; i >= 0; i--) {
      const x = this.cse[i]!.get(key);
      if (x !== undefined) return x;
    }
    return undefined;
  }

  private argName(key: string, arg: KArg, layout: Layout | null): string {
    let name = this.argKeys.get(key);
    if (!name) {
      name = `a${this.args.length}`;
      this.argKeys.set(key, name);
      this.args.push(arg);
      this.argLayouts.push(layout);
    }
    return name;
  }

  /** `name[z][y][x]` for an array laid out by `layout`, at a full multi-index over its shape. */
  private readArray(name: string, layout: Layout, idx: readonly Affine[]): string {
    const subs = layout.groups.map((g, gi) => {
      let lin = affConst(0);
      for (const d of g) lin = affAdd(lin, affScale(idx[d]!, layout.strides[d]!));
      const n = layout.dims[layout.dims.length - 1 - gi]!;
      const [lo, hi] = affRange(lin, this.rangeOf);
      const src = affSrc(lin);
      return lo >= 0 && hi < n ? src : clampSrc(src, 0, n - 1);
    });
    if (subs.length === 0) subs.push('0');
    return this.local(`${name}${subs.map((s) => `[${s}]`).join('')}`);
  }

  /** The element of `v` at `idx`, as a local name or a literal. */
  gen(v: Var, idx: readonly Affine[]): string {
    const key = `${v.id}@${idx.map(affKey).join(',')}`;
    const hit = this.lookup(key);
    if (hit !== undefined) return hit;
    const out = this.genUncached(v, idx);
    this.cse[this.cse.length - 1]!.set(key, out);
    return out;
  }

  private genUncached(v: Var, idx: readonly Affine[]): string {
    const an = this.an;
    const lit = an.lits.get(v);
    if (lit) return this.readLit(v, lit, idx);
    const inI = an.inIndex.get(v);
    if (inI !== undefined) {
      const kind = an.inKinds[inI]!;
      if (kind.k === 'xs') return this.readXs(v, kind.depth, kind.baseShape, idx);
      return this.readVar(v, idx);
    }
    const e = an.producer.get(v)!;
    if (e.prim === P.scan || (v !== this.target && an.materialize.has(v))) return this.readVar(v, idx);
    return this.inline(e, idx);
  }

  private readVar(v: Var, idx: readonly Affine[]): string {
    const layout = layoutOf(v.aval.shape);
    return this.readArray(this.argName(`v${v.id}`, { k: 'var', v }, layout), layout, idx);
  }

  private readXs(v: Var, depth: number, baseShape: Shape, idx: readonly Affine[]): string {
    const layout = layoutOf(baseShape);
    const base = this.argName(`x${v.id}`, { k: 'xsBase', v }, layout);
    const lead: Affine[] = [];
    for (let level = 0; level < depth; level++) {
      const it = this.argName(`i${v.id}:${level}`, { k: 'it', v, level }, null);
      this.ranges[0]!.set(it, [0, baseShape[level]! - 1]);
      lead.push(affAtom(it));
    }
    return this.readArray(base, layout, [...lead, ...idx]);
  }

  private readLit(v: Var, lit: Lit, idx: readonly Affine[]): string {
    if (lit.splat !== null) return fnum(lit.splat);
    const at = idx.map((e, d) => (lit.varying[d] ? e : affConst(0)));
    if (at.every(isConst))
      return fnum(
        litAt(
          lit,
          at.map((e) => e.c),
        ),
      );
    const spans = at.map((e, d) => {
      const [lo, hi] = affRange(e, this.rangeOf);
      return [Math.max(0, lo), Math.min(lit.shape[d]! - 1, hi)] as const;
    });
    const count = spans.reduce((s, [lo, hi]) => s * (hi - lo + 1), 1);
    if (count > SELECT_MAX) return this.readVar(v, idx);
    // A small select over the reachable elements, innermost dimension first.
    const build = (d: number, fixed: number[]): string => {
      if (d === at.length) return fnum(litAt(lit, fixed));
      if (isConst(at[d]!)) return build(d + 1, [...fixed, at[d]!.c]);
      const [lo, hi] = spans[d]!;
      const src = affSrc(at[d]!);
      let expr = build(d + 1, [...fixed, hi]);
      for (let i = hi - 1; i >= lo; i--)
        expr = `(${src} === ${i} ? ${build(d + 1, [...fixed, i])} : ${expr})`;
      return expr;
    };
    return this.local(build(0, []));
  }

  private inline(e: Eqn, idx: readonly Affine[]): string {
    const name = e.prim.name as PrimName;
    const ins = e.inputs;
    const out = e.outputs[0]!;
    const bc = (i: number) => this.gen(ins[i]!, broadcastIndex(ins[i]!.aval.shape, idx));
    const un = UNARY[name];
    if (un) return this.local(un(bc(0)));
    const bin = BINARY[name];
    if (bin) {
      if (name === 'div' && out.aval.dtype === 'int32') return this.local(`Math.trunc(${bc(0)} / ${bc(1)})`);
      return this.local(bin(bc(0), bc(1)));
    }
    switch (name) {
      case 'powScalar':
        return this.local(powScalar(bc(0), e.params.p));
      case 'where': {
        const c = bc(0);
        const x = bc(1);
        const y = bc(2);
        return this.local(`(${c} !== 0.0 ? ${x} : ${y})`);
      }
      case 'cast': {
        const x = bc(0);
        const from = ins[0]!.aval.dtype;
        const to = out.aval.dtype;
        if (to === 'bool') return this.local(`(${x} !== 0.0 ? 1.0 : 0.0)`);
        if (to === 'int32' && (from === 'float32' || from === 'float64'))
          return this.local(`Math.trunc(${x})`);
        return x;
      }
      case 'reshape':
        return this.gen(ins[0]!, this.reshapeIndex(ins[0]!.aval.shape, out.aval.shape, idx));
      case 'expand':
        return this.gen(ins[0]!, broadcastIndex(ins[0]!.aval.shape, idx));
      case 'transpose': {
        const perm: readonly number[] = e.params.perm;
        const inIdx = new Array<Affine>(perm.length);
        perm.forEach((p, d) => {
          inIdx[p] = idx[d]!;
        });
        return this.gen(ins[0]!, inIdx);
      }
      case 'slice': {
        const { starts, steps } = e.params as { starts: number[]; steps: number[] };
        return this.gen(
          ins[0]!,
          idx.map((x, d) => affOffset(affScale(x, steps[d]!), starts[d]!)),
        );
      }
      case 'flip': {
        const axes: readonly number[] = e.params.axes;
        const shape = ins[0]!.aval.shape;
        return this.gen(
          ins[0]!,
          idx.map((x, d) => (axes.includes(d) ? affOffset(affScale(x, -1), shape[d]! - 1) : x)),
        );
      }
      case 'pad':
        return this.pad(e, idx);
      case 'concat':
        return this.concat(e, idx);
      case 'sum':
      case 'max':
      case 'min':
        return this.reduce(e, idx);
      case 'matmul':
        return this.matmul(e, idx);
      case 'gather':
        return this.gather(e, idx);
      case 'scatterAdd':
        return this.scatterAdd(e, idx);
      default:
        throw new JitUnsupported(`jit: no kernel rule for primitive '${name}'`);
    }
  }

  /** Output index → input index of a reshape: each ⌊e / k⌋ a local of the kernel. */
  private reshapeIndex(inShape: Shape, outShape: Shape, idx: readonly Affine[]): Affine[] {
    return reshapeIndex(inShape, outShape, idx, (e, k, n) => {
      const q = this.fresh('q');
      this.emit(`const ${q} = Math.floor(${affSrc(e)} / ${k});`);
      this.setRange(q, [0, n - 1]);
      return affAtom(q);
    });
  }

  /** An index atom equal to `e` clamped into [lo, hi] (shared within the scope). */
  private clamped(e: Affine, lo: number, hi: number): Affine {
    const [elo, ehi] = affRange(e, this.rangeOf);
    if (elo >= lo && ehi <= hi) return e;
    const key = `clamp:${affKey(e)}:${lo}:${hi}`;
    let q = this.lookup(key);
    if (q === undefined) {
      q = this.fresh('q');
      this.emit(`const ${q} = ${clampSrc(affSrc(e), lo, hi)};`);
      this.setRange(q, [Math.max(lo, Math.min(elo, hi)), Math.min(hi, Math.max(ehi, lo))]);
      this.cse[this.cse.length - 1]!.set(key, q);
    }
    return affAtom(q);
  }

  /**
   * A constant pad, branch-free: read the input at the clamped index and select the pad value outside the
   * input. Straight-line code keeps one CSE scope, so the pads of a backward pass (the adjoints of slices)
   * share their operands instead of copying them into every branch.
   */
  private pad(e: Eqn, idx: readonly Affine[]): string {
    const x = e.inputs[0]!;
    const { lo, interior, value } = e.params as { lo: number[]; interior: number[]; value: number };
    const shape = x.aval.shape;
    const conds: string[] = [];
    const inIdx: Affine[] = [];
    for (let d = 0; d < shape.length; d++) {
      const n = shape[d]!;
      const s = interior[d]! + 1;
      const rel = affOffset(idx[d]!, -lo[d]!);
      const maxRel = (n - 1) * s;
      const [rlo, rhi] = affRange(rel, this.rangeOf);
      if (rhi < 0 || rlo > maxRel) return fnum(value);
      if (rlo < 0) conds.push(`${affSrc(rel)} >= 0`);
      if (rhi > maxRel) conds.push(`${affSrc(rel)} <= ${maxRel}`);
      if (s === 1) inIdx.push(this.clamped(rel, 0, n - 1));
      else {
        conds.push(`${affSrc(rel)} % ${s} === 0`);
        const c = this.clamped(rel, 0, maxRel);
        const q = this.fresh('q');
        this.emit(`const ${q} = Math.floor(${affSrc(c)} / ${s});`);
        this.setRange(q, [0, n - 1]);
        inIdx.push(affAtom(q));
      }
    }
    const v = this.gen(x, inIdx);
    if (conds.length === 0) return v;
    return this.local(`(${conds.join(' && ')} ? ${v} : ${fnum(value)})`);
  }

  private concat(e: Eqn, idx: readonly Affine[]): string {
    const axis: number = e.params.axis;
    const ex = idx[axis]!;
    const [elo, ehi] = affRange(ex, this.rangeOf);
    const pieces: { v: Var; off: number; n: number }[] = [];
    let off = 0;
    for (const v of e.inputs) {
      const n = v.aval.shape[axis]!;
      if (off + n - 1 >= elo && off <= ehi) pieces.push({ v, off, n });
      off += n;
    }
    const at = (p: { v: Var; off: number }) => idx.map((x, d) => (d === axis ? affOffset(x, -p.off) : x));
    if (pieces.length === 1) return this.gen(pieces[0]!.v, at(pieces[0]!));
    const shared = this.sameSource(pieces, axis);
    if (shared) return this.concatOfSlices(shared, ex, idx, axis, elo, ehi);
    const o = this.fresh();
    this.emit(`let ${o} = 0.0;`);
    // Binary search over the pieces: depth log2(pieces).
    const tree = (a: number, b: number, lo: number, hi: number) => {
      if (b - a === 1) {
        const p = pieces[a]!;
        // The outermost pieces also take indices beyond the concat (padding lanes of a padded row).
        const from = a === 0 ? lo : Math.max(lo, p.off);
        const to = a === pieces.length - 1 ? hi : Math.min(hi, p.off + p.n - 1);
        this.scoped(ex, from, to, () => {
          this.emit(`${o} = ${this.gen(p.v, at(p))};`);
        });
        return;
      }
      const mid = (a + b) >> 1;
      const split = pieces[mid]!.off;
      this.emit(`if (${affSrc(ex)} < ${split}) {`);
      this.scoped(null, 0, 0, () => tree(a, mid, lo, split - 1));
      this.emit('} else {');
      this.scoped(null, 0, 0, () => tree(mid, b, split, hi));
      this.emit('}');
    };
    tree(0, pieces.length, elo, ehi);
    return o;
  }

  /**
   * When every piece of a concat is a slice of one value (a circular pad: [x[-1:], x, x[:1]]), with the same
   * slicing off the concat axis, the pieces differ only in where they read along that axis: select that index
   * (integer arithmetic) and read the value once, instead of branching over copies of its whole expression.
   */
  private sameSource(
    pieces: readonly { v: Var; off: number; n: number }[],
    axis: number,
  ): {
    base: Var;
    starts: number[];
    steps: number[];
    pieces: { off: number; n: number; start: number; step: number }[];
  } | null {
    const peel = (v: Var) => {
      const rank = v.aval.shape.length;
      let starts = new Array<number>(rank).fill(0);
      let steps = new Array<number>(rank).fill(1);
      for (;;) {
        const e = this.an.producer.get(v);
        if (
          !e ||
          e.prim !== P.slice ||
          this.an.lits.has(v) ||
          (v !== this.target && this.an.materialize.has(v))
        )
          return { base: v, starts, steps };
        const p = e.params as { starts: number[]; steps: number[] };
        // composing slices: outer index i → inner start + step·i → base start' + step'·(start + step·i)
        starts = starts.map((s, d) => p.starts[d]! + p.steps[d]! * s);
        steps = steps.map((s, d) => p.steps[d]! * s);
        v = e.inputs[0]!;
      }
    };
    const peeled = pieces.map((p) => ({ ...p, ...peel(p.v) }));
    const first = peeled[0]!;
    for (const p of peeled)
      if (
        p.base !== first.base ||
        p.starts.some((s, d) => d !== axis && s !== first.starts[d]) ||
        p.steps.some((s, d) => d !== axis && s !== first.steps[d])
      )
        return null;
    return {
      base: first.base,
      starts: first.starts,
      steps: first.steps,
      pieces: peeled.map((p) => ({ off: p.off, n: p.n, start: p.starts[axis]!, step: p.steps[axis]! })),
    };
  }

  private concatOfSlices(
    s: NonNullable<ReturnType<KernelBuilder['sameSource']>>,
    ex: Affine,
    idx: readonly Affine[],
    axis: number,
    elo: number,
    ehi: number,
  ): string {
    // base index along the axis for piece p: start + step·(e − off)
    const baseAt = (p: (typeof s.pieces)[number]) =>
      affOffset(affScale(affOffset(ex, -p.off), p.step), p.start);
    const tree = (a: number, b: number): string => {
      if (b - a === 1) return affSrc(baseAt(s.pieces[a]!));
      const mid = (a + b) >> 1;
      return `(${affSrc(ex)} < ${s.pieces[mid]!.off} ? ${tree(a, mid)} : ${tree(mid, b)})`;
    };
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    s.pieces.forEach((p, k) => {
      const from = k === 0 ? elo : Math.max(elo, p.off);
      const to = k === s.pieces.length - 1 ? ehi : Math.min(ehi, p.off + p.n - 1);
      for (const e of [from, to]) {
        const b = p.start + p.step * (e - p.off);
        lo = Math.min(lo, b);
        hi = Math.max(hi, b);
      }
    });
    const q = this.fresh('q');
    this.emit(`const ${q} = ${tree(0, s.pieces.length)};`);
    this.setRange(q, [lo, hi]);
    const baseIdx = idx.map((x, d) =>
      d === axis ? affAtom(q) : affOffset(affScale(x, s.steps[d]!), s.starts[d]!),
    );
    return this.gen(s.base, baseIdx);
  }

  /** Sum (or max/min) of `term(r)` over the index tuples of `dims`, unrolled or as nested loops. */
  private accumulate(
    dims: readonly number[],
    op: 'sum' | 'max' | 'min',
    term: (r: Affine[]) => string,
  ): string {
    const total = sizeOf(dims);
    const combine = (a: string, b: string) =>
      op === 'sum' ? `${a} + ${b}` : op === 'max' ? `Math.max(${a}, ${b})` : `Math.min(${a}, ${b})`;
    if (total <= UNROLL) {
      const st = stridesOf(dims);
      let acc: string | null = null;
      for (let f = 0; f < total; f++) {
        const t = term(dims.map((n, k) => affConst(Math.floor(f / st[k]!) % n)));
        acc = acc === null ? t : this.local(combine(acc, t));
      }
      return acc ?? '0.0';
    }
    const acc = this.fresh('s');
    const init = op === 'sum' ? '0.0' : term(dims.map(() => affConst(0)));
    this.emit(`let ${acc} = ${init};`);
    const loops = (k: number, r: Affine[]) => {
      if (k === dims.length) {
        this.emit(`${acc} = ${combine(acc, term(r))};`);
        return;
      }
      const i = this.fresh('r');
      this.loopMax = Math.max(this.loopMax, dims[k]!);
      this.emit(`for (let ${i} = 0; ${i} < ${dims[k]}; ${i}++) {`);
      this.scoped(null, 0, 0, () => {
        this.setRange(i, [0, dims[k]! - 1]);
        loops(k + 1, [...r, affAtom(i)]);
      });
      this.emit('}');
    };
    loops(0, []);
    return acc;
  }

  private reduce(e: Eqn, idx: readonly Affine[]): string {
    const x = e.inputs[0]!;
    const axes: readonly number[] = e.params.axes;
    const shape = x.aval.shape;
    const op = e.prim.name as 'sum' | 'max' | 'min';
    return this.accumulate(
      axes.map((a) => shape[a]!),
      op,
      (r) => {
        let k = 0;
        let j = 0;
        const inIdx = shape.map((_, d) => (axes.includes(d) ? r[k++]! : idx[j++]!));
        return this.gen(x, inIdx);
      },
    );
  }

  private matmul(e: Eqn, idx: readonly Affine[]): string {
    const [a, b] = e.inputs as [Var, Var];
    const rank = idx.length;
    const K = a.aval.shape[rank - 1]!;
    const batch = idx.slice(0, rank - 2);
    return this.accumulate([K], 'sum', ([k]) => {
      const av = this.gen(a, [...batch, idx[rank - 2]!, k!]);
      const bv = this.gen(b, [...batch, k!, idx[rank - 1]!]);
      return this.local(`${av} * ${bv}`);
    });
  }

  private gather(e: Eqn, idx: readonly Affine[]): string {
    const [x, ix] = e.inputs as [Var, Var];
    const axis: number = e.params.axis;
    const n = x.aval.shape[axis]!;
    const g = this.gen(ix, idx);
    const q = this.local(clampSrc(g, 0, n - 1));
    this.setRange(q, [0, n - 1]);
    return this.gen(
      x,
      idx.map((t, d) => (d === axis ? affAtom(q) : t)),
    );
  }

  private scatterAdd(e: Eqn, idx: readonly Affine[]): string {
    const [base, ix, upd] = e.inputs as [Var, Var, Var];
    const axis: number = e.params.axis;
    const m = ix.aval.shape[axis]!;
    const target = this.local(`${affSrc(idx[axis]!)} + 0.0`);
    const sum = this.accumulate([m], 'sum', ([j]) => {
      const at = idx.map((t, d) => (d === axis ? j! : t));
      const c = this.gen(ix, at);
      const u = this.gen(upd, at);
      return this.local(`(${c} === ${target} ? ${u} : 0.0)`);
    });
    return this.local(`${this.gen(base, idx)} + ${sum}`);
  }

  /** The kernel computing `target` at the thread's index. */
  build(): KernelSpec {
    const v = this.target;
    const layout = layoutOf(v.aval.shape);
    const shape = v.aval.shape;
    const idx: Affine[] = shape.map(() => affConst(0));
    const coords = ['this.thread.x', 'this.thread.y', 'this.thread.z'];
    layout.groups.forEach((g, gi) => {
      const coord = coords[layout.groups.length - 1 - gi]!;
      const n = layout.dims[layout.dims.length - 1 - gi]!;
      this.ranges[0]!.set(coord, [0, n - 1]);
      if (g.length === 1) {
        idx[g[0]!] = affAtom(coord);
        return;
      }
      let rem = affAtom(coord);
      g.forEach((d, k) => {
        if (k === g.length - 1) {
          idx[d] = rem;
          return;
        }
        const q = this.fresh('q');
        const s = layout.strides[d]!;
        this.emit(`const ${q} = Math.floor(${affSrc(rem)} / ${s});`);
        this.setRange(q, [0, shape[d]! - 1]);
        idx[d] = affAtom(q);
        rem = affAdd(rem, affScale(affAtom(q), -s));
      });
    });
    const e = this.an.producer.get(v);
    const result =
      e && e.prim !== P.scan
        ? this.inline(e, idx)
        : this.an.inIndex.has(v)
          ? this.gen(v, idx)
          : (() => {
              throw new Error('jit codegen: a kernel target must be computed by the block');
            })();
    const params = this.args.map((_, i) => `a${i}`);
    const source = `function (${params.join(', ')}) {\n${this.lines.join('\n')}\n  return ${result};\n}`;
    const dims = layout.dims;
    const loopMax = this.loopMax;
    const argSig = this.argLayouts.map((l) => (l ? l.dims.join('x') : 'i')).join(',');
    return {
      source,
      dims,
      loopMax,
      args: this.args,
      argLayouts: this.argLayouts,
      key: `${dims.join('x')}|${loopMax}|${argSig}|${source}`,
    };
  }
}

/** The kernel of a materialised value of the analysed block (cached on the analysis). */
export function kernelFor(an: Analysis, v: Var): KernelSpec {
  let k = an.kernels.get(v) as KernelSpec | undefined;
  if (!k) {
    k = new KernelBuilder(an, v).build();
    an.kernels.set(v, k);
  }
  return k;
}
