/**
 * Kernels to WebAssembly loop nests. Passes, in order:
 * 1. split: every loop (output dimension or reduction index) is cut at the bounds of the `cond` nodes over it,
 *    so each piece of a concat or pad is its own loop and decides its conditions statically (a circular ghost
 *    cell is a one-iteration loop; the interior has no test);
 * 2. specialize: per piece, the graph with those conditions decided;
 * 3. place: each node is computed in the innermost loop of the atoms it depends on (loop-invariant code
 *    motion), in creation order, so operands come first;
 * 4. vectorize: the innermost output loop runs W = 16 / element-size lanes at a time when every node that
 *    varies along it has a SIMD128 form; unit-stride reads become (unaligned) vector loads, invariant values
 *    are splatted once before the loop, and a scalar loop finishes the tail. A short row axis (the second-to-
 *    last) is unrolled inside that loop, its pieces joined again where every row vectorises (rows.ts): each
 *    unrolled row decides its own conditions, and reductions over the rows are computed from them in place.
 * Reads may run past an array inside a branch that a select then discards: the program keeps a guard zone
 * around its buffers, so such reads never trap.
 */
import { type Affine, affRange, type Range } from '../affine';
import type { FuncBuilder, SimdOp, ValType } from './encoder';
import {
  type BinFn,
  BYTES,
  type CmpFn,
  children,
  IMPORTED,
  type Node,
  nodesBelow,
  type Ty,
  type UnFn,
} from './expr';
import type { Kernel } from './kernel';
import {
  nodesUnder,
  type Out,
  outIndex,
  rowsJoined,
  specialized,
  UNROLL_ROWS,
  unrolledBody,
  vectorizable,
} from './rows';

/** Loads address `rowBase + offset` with a non-negative immediate: row bases are biased by this much. */
const BIAS = 1024;
/** At most this many loop nests per kernel (pieces of all split loops multiplied). */
const MAX_PIECES = 64;

export type ImportedFn = 'sin' | 'cos' | 'tan' | 'exp' | 'log' | 'tanh' | 'pow';

/** Locals of the one function the program is written into, reused from kernel to kernel. */
export class LocalPool {
  private readonly free = new Map<ValType, number[]>();
  private readonly used = new Map<ValType, number[]>();
  constructor(private readonly f: FuncBuilder) {}
  take(t: ValType): number {
    const fr = this.free.get(t) ?? [];
    const i = fr.pop() ?? this.f.local(t);
    this.free.set(t, fr);
    const u = this.used.get(t) ?? [];
    u.push(i);
    this.used.set(t, u);
    return i;
  }
  /** Return every local taken since the last release. */
  releaseAll(): void {
    for (const [t, u] of this.used) this.free.set(t, [...(this.free.get(t) ?? []), ...u]);
    this.used.clear();
  }
}

export interface EmitEnv {
  readonly f: FuncBuilder;
  readonly pool: LocalPool;
  readonly imports: Readonly<Record<ImportedFn, number>>;
}

const SIMD_UN: Partial<Record<UnFn, 'abs' | 'neg' | 'sqrt' | 'floor' | 'trunc'>> = {
  abs: 'abs',
  neg: 'neg',
  sqrt: 'sqrt',
  floor: 'floor',
  trunc: 'trunc',
};
const NATIVE_BIN: Partial<Record<BinFn, 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max'>> = {
  add: 'add',
  sub: 'sub',
  mul: 'mul',
  div: 'div',
  min: 'min',
  max: 'max',
};

/** Cut points of `atom`'s range from the conditions over it alone: each condition holds on a run of values. */
function cutsOf(nodes: readonly Node[], atom: string, [lo, hi]: Range): number[] {
  const cuts = new Set<number>();
  for (const n of nodes) {
    if (n.op !== 'cond' || n.e.t.length !== 1 || n.e.t[0]![0] !== atom) continue;
    const k = n.e.t[0]![1];
    const c = n.e.c;
    // lo' ≤ c + k·a ≤ hi'
    const a =
      k > 0
        ? [Math.ceil((n.lo - c) / k), Math.floor((n.hi - c) / k) + 1]
        : [Math.floor((n.lo - c) / k) + 1, Math.ceil((n.hi - c) / k)];
    for (const x of a) if (Number.isFinite(x) && x > lo && x <= hi) cuts.add(x);
  }
  return [...cuts].sort((x, y) => x - y);
}

function pieces(range: Range, cuts: readonly number[]): Range[] {
  const out: Range[] = [];
  let start = range[0];
  for (const c of cuts) {
    out.push([start, c - 1]);
    start = c;
  }
  out.push([start, range[1]]);
  return out;
}

/** One value per node: a local (scalar or v128) valid in the loop where it was computed. */
type Scope = Map<string, number>;

class NestEmitter {
  private readonly scopes: Scope[] = [new Map()];
  /** The vectorised atom while emitting a vector loop body, else null. */
  private vecAtom: string | null = null;
  private readonly atomLocal = new Map<string, number>();

  constructor(
    private readonly env: EmitEnv,
    private readonly k: Kernel,
    private readonly bases: readonly number[],
    /** The address of each output (buffer −1 − j in loads and row bases is output j). */
    private readonly outBases: readonly number[],
  ) {}

  private baseOf(buf: number): number {
    return buf < 0 ? this.outBases[-1 - buf]! : this.bases[buf]!;
  }

  private get f() {
    return this.env.f;
  }

  private lookup(key: string): number | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const x = this.scopes[i]!.get(key);
      if (x !== undefined) return x;
    }
    return undefined;
  }
  private remember(key: string, local: number): void {
    this.scopes.at(-1)!.set(key, local);
  }
  private enter(): void {
    this.scopes.push(new Map());
  }
  private leave(): void {
    this.scopes.pop();
  }

  // ---- index arithmetic -------------------------------------------------------------------------------

  private atomValue(a: string): void {
    const l = this.atomLocal.get(a) ?? this.lookup(`atom:${a}`);
    if (l !== undefined) {
      this.f.get(l);
      return;
    }
    const d = this.k.graph.derived.get(a);
    if (!d) throw new Error(`jit wasm: atom ${a} is not bound here`);
    const out = this.env.pool.take('i32');
    const [lo] = affRange(d.e, this.k.graph.rangeOf);
    if (lo >= 0) {
      this.affine(d.e);
      this.f.i32(d.k).op('i32.div_s').set(out);
    } else {
      // ⌊e/k⌋ = (e − ((e mod k) + k) mod k) / k for any sign of e
      const t = this.env.pool.take('i32');
      this.affine(d.e);
      this.f.tee(t).get(t).i32(d.k).op('i32.rem_s').i32(d.k).op('i32.add').i32(d.k).op('i32.rem_s');
      this.f.op('i32.sub').i32(d.k).op('i32.div_s').set(out);
    }
    this.remember(`atom:${a}`, out);
    this.f.get(out);
  }

  /** Push c + Σ k·atom (i32). */
  private affine(e: Affine, scale = 1, skip: string | null = null): void {
    let first = true;
    for (const [a, k] of e.t) {
      if (a === skip) continue;
      this.atomValue(a);
      if (k * scale !== 1) this.f.i32(k * scale).op('i32.mul');
      if (!first) this.f.op('i32.add');
      first = false;
    }
    const c = e.c * scale;
    if (first) this.f.i32(c);
    else if (c !== 0) this.f.i32(c).op('i32.add');
  }

  /** Push the byte address base + e·es; returns the immediate offset to use with it. */
  private address(buf: number, e: Affine, es: number): number {
    this.f.get(this.baseOf(buf));
    const c = e.c * es;
    if (e.t.length) {
      this.affine({ c: 0, t: e.t }, es);
      this.f.op('i32.add');
    }
    if (c >= 0) return c;
    this.f.i32(c).op('i32.add');
    return 0;
  }

  // ---- scalar code ------------------------------------------------------------------------------------

  private scalar(n: Node): void {
    const key = `s${n.id}`;
    const hit = this.lookup(key);
    if (hit !== undefined) {
      this.f.get(hit);
      return;
    }
    if (n.op === 'const') {
      this.pushConst(n.ty, n.value);
      return;
    }
    if (n.op === 'reduce') {
      this.reduce(n, false);
      this.f.get(this.lookup(key)!);
      return;
    }
    this.scalarOp(n);
    const l = this.env.pool.take(n.ty);
    this.f.set(l);
    this.remember(key, l);
    this.f.get(l);
  }

  private pushConst(ty: Ty, v: number): void {
    if (ty === 'f32') this.f.f32(v);
    else if (ty === 'f64') this.f.f64(v);
    else this.f.i32(v);
  }

  private scalarOp(n: Node): void {
    const f = this.f;
    const t = n.ty;
    switch (n.op) {
      case 'const':
      case 'reduce':
        throw new Error('unreachable');
      case 'load': {
        const off = this.address(n.buf, n.index, BYTES[t]);
        f.mem(`${t}.load`, off);
        return;
      }
      case 'gather': {
        f.get(this.bases[n.buf]!);
        this.affine(n.base, BYTES[t]);
        f.op('i32.add');
        // clamp(at, 0, n-1) · stride · es
        const a = this.env.pool.take('i32');
        this.scalar(n.at);
        f.set(a);
        f.get(a).i32(0).get(a).i32(0).op('i32.gt_s').op('select').set(a);
        f.get(a)
          .i32(n.n - 1)
          .get(a)
          .i32(n.n - 1)
          .op('i32.lt_s')
          .op('select');
        f.i32(n.stride * BYTES[t])
          .op('i32.mul')
          .op('i32.add');
        f.mem(`${t}.load`);
        return;
      }
      case 'idx':
        this.affine(n.e);
        return;
      case 'un':
        if (IMPORTED.has(n.fn)) {
          this.callImport(n.fn as ImportedFn, [n.x], t);
          return;
        }
        this.scalar(n.x);
        if (t === 'i32') {
          const x = this.env.pool.take('i32');
          f.set(x);
          if (n.fn === 'neg') f.i32(0).get(x).op('i32.sub');
          else if (n.fn === 'abs')
            f.i32(0).get(x).op('i32.sub').get(x).get(x).i32(0).op('i32.lt_s').op('select');
          else f.get(x); // floor/trunc of an integer
          return;
        }
        f.op(`${t}.${n.fn as 'neg'}`);
        return;
      case 'bin': {
        if (n.fn === 'pow') {
          this.callImport('pow', [n.a, n.b], t);
          return;
        }
        if (t === 'i32' && (n.fn === 'min' || n.fn === 'max')) {
          this.scalar(n.a);
          this.scalar(n.b);
          this.scalar(n.a);
          this.scalar(n.b);
          f.op(n.fn === 'min' ? 'i32.lt_s' : 'i32.gt_s').op('select');
          return;
        }
        this.scalar(n.a);
        this.scalar(n.b);
        f.op(`${t}.${NATIVE_BIN[n.fn]!}` as 'f32.add');
        return;
      }
      case 'cmp': {
        this.scalar(n.a);
        this.scalar(n.b);
        const ot = n.a.ty;
        if (ot === 'i32') f.op(`i32.${n.fn === 'eq' || n.fn === 'ne' ? n.fn : `${n.fn}_s`}` as 'i32.lt_s');
        else f.op(`${ot}.${n.fn}` as 'f32.lt');
        return;
      }
      case 'select':
        this.scalar(n.a);
        this.scalar(n.b);
        this.scalar(n.c);
        f.op('select');
        return;
      case 'cond':
        this.scalar(n.a);
        this.scalar(n.b);
        this.condTest(n.e, n.lo, n.hi);
        f.op('select');
        return;
      case 'cast': {
        const from = n.x.ty;
        this.scalar(n.x);
        if (t === 'i32') f.fc(from === 'f32' ? 'i32.trunc_sat_f32_s' : 'i32.trunc_sat_f64_s');
        else if (from === 'i32') f.op(t === 'f32' ? 'f32.convert_i32_s' : 'f64.convert_i32_s');
        else f.op(t === 'f32' ? 'f32.demote_f64' : 'f64.promote_f32');
        return;
      }
    }
  }

  /** Push lo ≤ e ≤ hi (i32). */
  private condTest(e: Affine, lo: number, hi: number): void {
    const [elo, ehi] = affRange(e, this.k.graph.rangeOf);
    const f = this.f;
    const parts: (() => void)[] = [];
    if (elo < lo)
      parts.push(() => {
        this.affine(e);
        f.i32(lo).op('i32.ge_s');
      });
    if (ehi > hi)
      parts.push(() => {
        this.affine(e);
        f.i32(hi).op('i32.le_s');
      });
    if (parts.length === 0) f.i32(1);
    parts.forEach((p, i) => {
      p();
      if (i > 0) f.op('i32.and');
    });
  }

  private callImport(fn: ImportedFn, args: Node[], t: Ty): void {
    for (const a of args) {
      this.scalar(a);
      if (t === 'f32') this.f.op('f64.promote_f32');
    }
    this.f.call(this.env.imports[fn]);
    if (t === 'f32') this.f.op('f32.demote_f64');
  }

  // ---- vector code ------------------------------------------------------------------------------------

  private varies(n: Node): boolean {
    return this.vecAtom !== null && n.atoms.has(this.vecAtom);
  }

  private splat(ty: Ty): void {
    this.f.simd(ty === 'f64' ? 'f64x2.splat' : ty === 'f32' ? 'f32x4.splat' : 'i32x4.splat');
  }

  private vector(n: Node): void {
    const key = `v${n.id}`;
    const hit = this.lookup(key);
    if (hit !== undefined) {
      this.f.get(hit);
      return;
    }
    if (!this.varies(n)) {
      this.scalar(n);
      this.splat(n.ty);
    } else if (n.op === 'reduce') {
      this.reduce(n, true);
      this.f.get(this.lookup(key)!);
      return;
    } else this.vectorOp(n);
    const l = this.env.pool.take('v128');
    this.f.set(l);
    this.remember(key, l);
    this.f.get(l);
  }

  private vectorOp(n: Node): void {
    const f = this.f;
    const t = n.ty as 'f32' | 'f64';
    const sh = t === 'f32' ? 'f32x4' : 'f64x2';
    const W = 16 / BYTES[t];
    switch (n.op) {
      case 'load': {
        const k = n.index.t.find(([a]) => a === this.vecAtom)?.[1] ?? 0;
        if (k === 1) {
          const off = this.rowAddress(n.buf, n.index, BYTES[t]);
          f.vmem('v128.load', off, BYTES[t]);
          return;
        }
        // strided: lane by lane
        this.pushConst(t, 0);
        this.splat(t);
        for (let lane = 0; lane < W; lane++) {
          const off = this.address(n.buf, { c: n.index.c + k * lane, t: n.index.t }, BYTES[t]);
          f.mem(`${t}.load`, off);
          f.lane(`${sh}.replace_lane`, lane);
        }
        return;
      }
      case 'un': {
        const op = SIMD_UN[n.fn];
        if (op) {
          this.vector(n.x);
          f.simd(`${sh}.${op}` as SimdOp);
          return;
        }
        this.laneWise(n.fn as ImportedFn, [n.x], t);
        return;
      }
      case 'bin': {
        const op = NATIVE_BIN[n.fn];
        if (!op) {
          this.laneWise('pow', [n.a, n.b], t);
          return;
        }
        this.vector(n.a);
        this.vector(n.b);
        f.simd(`${sh}.${op}` as SimdOp);
        return;
      }
      case 'cmp':
        this.vector(n.a);
        this.vector(n.b);
        f.simd(`${n.a.ty === 'f32' ? 'f32x4' : 'f64x2'}.${n.fn as CmpFn}` as SimdOp);
        return;
      case 'select':
        this.vector(n.a);
        this.vector(n.b);
        if (this.varies(n.c)) this.vector(n.c);
        else {
          // a scalar 0/1 condition: all-ones or all-zeros lanes
          f.i32(0);
          this.scalar(n.c);
          f.op('i32.sub');
          f.simd('i32x4.splat');
        }
        f.simd('v128.bitselect');
        return;
      case 'cast':
        // a comparison mask to 1.0 / 0.0
        this.vector(n.x);
        this.pushConst(t, 1);
        this.splat(t);
        f.simd('v128.and');
        return;
      case 'cond':
        this.vector(n.a);
        this.vector(n.b);
        this.condTest(n.e, n.lo, n.hi);
        f.op('select');
        return;
      default:
        throw new Error(`jit wasm: no vector form for ${n.op}`);
    }
  }

  private laneWise(fn: ImportedFn, args: Node[], t: 'f32' | 'f64'): void {
    const f = this.f;
    const sh = t === 'f32' ? 'f32x4' : 'f64x2';
    const W = 16 / BYTES[t];
    const vs = args.map((a) => {
      this.vector(a);
      const l = this.env.pool.take('v128');
      f.set(l);
      return l;
    });
    this.pushConst(t, 0);
    this.splat(t);
    for (let lane = 0; lane < W; lane++) {
      for (const v of vs) {
        f.get(v).lane(`${sh}.extract_lane`, lane);
        if (t === 'f32') f.op('f64.promote_f32');
      }
      f.call(this.env.imports[fn]);
      if (t === 'f32') f.op('f32.demote_f64');
      f.lane(`${sh}.replace_lane`, lane);
    }
  }

  /**
   * The row base of a unit-stride vector read: its address without the vector atom's term, biased so that
   * small negative offsets stay immediates; a local, computed once per loop where it is invariant.
   */
  private rowBase(buf: number, e: Affine, es: number): number {
    const rest: Affine = { c: 0, t: e.t.filter(([a]) => a !== this.vecAtom) };
    const key = `row:${buf}:${rest.t.map(([a, k]) => `${k}*${a}`).join('+')}`;
    let l = this.lookup(key);
    if (l === undefined) {
      l = this.env.pool.take('i32');
      this.f.get(this.baseOf(buf));
      if (rest.t.length) {
        this.affine(rest, es);
        this.f.op('i32.add');
      }
      this.f.i32(-BIAS).op('i32.add').set(l);
      this.remember(key, l);
    }
    return l;
  }

  /** Push the address of a unit-stride vector read (row base + the atom's byte offset); its immediate offset. */
  private rowAddress(buf: number, e: Affine, es: number): number {
    this.f
      .get(this.rowBase(buf, e, es))
      .get(this.lookup('vecByte')!)
      .op('i32.add');
    const off = e.c * es + BIAS;
    if (off >= 0) return off;
    this.f.i32(off).op('i32.add');
    return 0;
  }

  // ---- loops ------------------------------------------------------------------------------------------

  /** for atom in [lo, hi]: body (no loop for one value). */
  private loop(atom: string, [lo, hi]: Range, step: number, body: () => void): void {
    const f = this.f;
    const i = this.atomLocal.get(atom)!;
    f.i32(lo).set(i);
    if (hi - lo + 1 <= step) {
      this.enter();
      body();
      this.leave();
      return;
    }
    f.block('loop');
    this.enter();
    body();
    this.leave();
    f.get(i)
      .i32(step)
      .op('i32.add')
      .tee(i)
      .i32(hi - step + 2)
      .op('i32.lt_s')
      .brIf(0);
    f.end();
  }

  private reduce(n: Extract<Node, { op: 'reduce' }>, vec: boolean): void {
    const f = this.f;
    const t = n.ty;
    const acc = this.env.pool.take(vec ? 'v128' : t);
    const init = n.fn === 'sum' ? 0 : n.fn === 'max' ? -Infinity : Infinity;
    this.pushConst(t, init);
    if (vec) this.splat(t);
    f.set(acc);
    const g = this.k.graph;
    const full: Range = [0, n.n - 1];
    this.atomLocal.set(n.atom, this.env.pool.take('i32'));
    // what the body needs but does not vary with the reduction index is computed once, before the loop
    for (const m of nodesBelow(n.body)) {
      if (m.op === 'const' || m.atoms.has(n.atom) || ![...m.atoms].every((a) => this.bound(a))) continue;
      if (vec) this.vector(m);
      else this.scalar(m);
      this.f.op('drop');
    }
    for (const piece of pieces(full, cutsOf(nodesBelow(n.body), n.atom, full))) {
      const saved = g.ranges.get(n.atom)!;
      const body = g.specialize(n.body, new Map([[n.atom, piece]]));
      this.loop(n.atom, piece, 1, () => {
        f.get(acc);
        if (vec) this.vector(body);
        else this.scalar(body);
        if (vec) {
          const sh = t === 'f32' ? 'f32x4' : 'f64x2';
          f.simd(`${sh}.${n.fn === 'sum' ? 'add' : n.fn}` as SimdOp);
        } else if (t === 'i32') {
          if (n.fn !== 'sum') throw new Error('jit wasm: integer max/min reductions are not compiled');
          f.op('i32.add');
        } else f.op(`${t}.${n.fn === 'sum' ? 'add' : n.fn}` as 'f32.add');
        f.set(acc);
      });
      g.ranges.set(n.atom, saved);
    }
    this.remember(`${vec ? 'v' : 's'}${n.id}`, acc);
  }

  /** The nest over output dimensions d.. of one piece (ranges fixed per dimension), the outputs `outs` in it. */
  private nest(outs: readonly Out[], d: number, ranges: readonly Range[]): void {
    const { loopAtoms, ty, rowless } = this.k;
    const es = BYTES[ty];
    const r = loopAtoms.length;
    const store = (os: readonly Out[]) => () => {
      for (const o of os) this.storeScalar(o.root, o.j);
    };
    if (r === 0) {
      store(outs)();
      return;
    }
    const atom = loopAtoms[d]!;
    const range = ranges[d]!;
    // values invariant in this loop are computed before it
    this.hoist(
      outs.map((o) => o.root),
      d,
    );
    if (d === r - 2) {
      // outputs without the row axis are computed once per cell, with the rows when those are unrolled
      const rows = outs.filter((o) => !rowless[o.j]);
      const sums = outs.filter((o) => rowless[o.j]);
      if (this.unrolledRows(rows, sums, d, ranges)) return;
      if (sums.length) {
        this.loop(atom, range, 1, () => this.nest(rows, d + 1, ranges));
        this.nest(sums, d + 1, ranges);
        return;
      }
    }
    if (d < r - 1) {
      this.loop(atom, range, 1, () => this.nest(outs, d + 1, ranges));
      return;
    }
    const W = 16 / es;
    const len = range[1] - range[0] + 1;
    // siblings that vectorise share a SIMD loop; any other gets a scalar loop of its own
    const vec = len >= W ? outs.filter((o) => vectorizable(this.k, o.root, atom, ty)) : [];
    const scalar = outs.filter((o) => !vec.includes(o));
    if (vec.length) {
      this.stats.vectorNests++;
      const vecEnd = range[0] + Math.floor(len / W) * W - 1;
      this.vectorLoop(
        atom,
        [range[0], vecEnd],
        vec.map((o) => ({ root: o.root, buf: -1 - o.j, out: outIndex(this.k, o.j) })),
      );
      if (vecEnd < range[1]) this.loop(atom, [vecEnd + 1, range[1]], 1, store(vec));
    }
    if (scalar.length) this.loop(atom, range, 1, store(scalar));
  }

  /**
   * One SIMD loop over `atom` in `range` (a whole number of vectors): each iteration stores every row's value at
   * its output index (`out` in output buffer `buf`, whose constant part becomes the store's immediate offset).
   */
  private vectorLoop(
    atom: string,
    range: Range,
    rows: readonly { root: Node; buf: number; out: Affine }[],
  ): void {
    const es = BYTES[this.k.ty];
    this.vecAtom = atom;
    this.enter();
    for (const row of rows) this.prepareVector(row.root);
    const byte = this.env.pool.take('i32');
    this.remember('vecByte', byte);
    // the outputs' row bases are invariant too: computed here, not in every iteration
    for (const row of rows) this.rowBase(row.buf, row.out, es);
    this.loop(atom, range, 16 / es, () => {
      this.f.get(this.atomLocal.get(atom)!).i32(Math.log2(es)).op('i32.shl').set(byte);
      for (const row of rows) {
        const off = this.rowAddress(row.buf, row.out, es);
        this.vector(row.root);
        this.f.vmem('v128.store', off, es);
      }
    });
    this.leave();
    this.vecAtom = null;
  }

  /** Store the value of `root` at output j's element of the current loop atoms, in scalar code. */
  private storeScalar(root: Node, j: number): void {
    const { ty } = this.k;
    this.f.get(this.outBases[j]!);
    this.affine(outIndex(this.k, j), BYTES[ty]);
    this.f.op('i32.add');
    this.scalar(root);
    this.f.mem(`${ty}.store`);
  }

  /**
   * A short outer dimension unrolled inside ONE vector loop over the innermost: what does not depend on the
   * row (a cell's coefficients, a source term shared by all directions) is loaded and computed once per
   * cell instead of once per row, and each row's loads and stores differ only in their immediate offsets.
   * Outputs without the row axis (`sums`, reductions over the rows) are computed after the rows in the same
   * iteration, from the rows' values in registers; only when the piece spans every row.
   * False (nothing written) when the rows do not all vectorise or the unrolled body would be too large.
   */
  private unrolledRows(
    rows: readonly Out[],
    sums: readonly Out[],
    d: number,
    ranges: readonly Range[],
  ): boolean {
    const body = unrolledBody(this.k, rows, sums, d, ranges);
    if (!body) return false;
    const { loopAtoms, ty } = this.k;
    const W = 16 / BYTES[ty];
    const atom = loopAtoms[d]!;
    const inner = loopAtoms[d + 1]!;
    const [lo, hi] = ranges[d]!;
    const range = ranges[d + 1]!;
    this.stats.vectorNests++;
    this.stats.unrolledRows += hi - lo + 1;
    const vecEnd = range[0] + Math.floor((range[1] - range[0] + 1) / W) * W - 1;
    this.vectorLoop(inner, [range[0], vecEnd], body);
    if (vecEnd < range[1]) {
      const tail: Range = [vecEnd + 1, range[1]];
      this.loop(atom, [lo, hi], 1, () =>
        this.loop(inner, tail, 1, () => {
          for (const o of rows) this.storeScalar(o.root, o.j);
        }),
      );
      if (sums.length)
        this.loop(inner, tail, 1, () => {
          for (const o of sums) this.storeScalar(o.root, o.j);
        });
    }
    return true;
  }

  /** Compute, before the loop over output dimension d, the nodes that do not depend on it or deeper loops. */
  private hoist(roots: readonly Node[], d: number): void {
    const inner = new Set(this.k.loopAtoms.slice(d));
    for (const n of nodesUnder(roots)) {
      if (n.op === 'const' || [...n.atoms].some((a) => inner.has(a) || !this.bound(a))) continue;
      this.scalar(n);
      this.f.op('drop');
    }
  }

  private bound(a: string): boolean {
    if (this.atomLocal.has(a)) return true;
    const d = this.k.graph.derived.get(a);
    return !!d && d.e.t.every(([x]) => this.bound(x));
  }

  /** Before a vector loop: splat the invariant operands of varying nodes, and compute their row bases. */
  private prepareVector(root: Node): void {
    for (const n of nodesBelow(root)) {
      if (!this.varies(n)) continue;
      if (n.op === 'load' && n.index.t.every(([a]) => a === this.vecAtom || this.bound(a)))
        this.rowBase(n.buf, n.index, BYTES[n.ty]);
      for (const c of n.op === 'reduce' ? [] : children(n))
        if (!this.varies(c) && c.op !== 'cmp' && [...c.atoms].every((a) => this.bound(a))) {
          this.vector(c);
          this.f.op('drop');
        }
    }
  }

  /**
   * Loop nests written, how many of them run their innermost loop in SIMD lanes, and how many rows those
   * compute in one loop (a short outer dimension unrolled).
   */
  readonly stats = { nests: 0, vectorNests: 0, lanes: 0, unrolledRows: 0 };

  emit(): void {
    const { loopAtoms } = this.k;
    this.stats.lanes = 16 / BYTES[this.k.ty];
    for (const a of loopAtoms) this.atomLocal.set(a, this.env.pool.take('i32'));
    const split = piecesOf(this.k);
    for (const ranges of rowsJoined(this.k, combosOf(split), split))
      specialized(this.k, ranges, (outs) => {
        this.enter();
        this.stats.nests++;
        this.nest(outs, 0, ranges);
        this.leave();
      });
  }
}

export type NestStats = NestEmitter['stats'];

/** The pieces each output dimension's loop is split into (at conditions' bounds), per dimension. */
function piecesOf(k: Kernel): Range[][] {
  const { graph: g, roots, loopAtoms } = k;
  const all = nodesUnder(roots);
  const full = loopAtoms.map((a) => g.rangeOf(a));
  let split = loopAtoms.map((a, d) => pieces(full[d]!, cutsOf(all, a, full[d]!)));
  // too many nests: keep the inner splits (they decide the vector loop), drop the outer ones
  for (let d = 0; split.reduce((s, p) => s * p.length, 1) > MAX_PIECES && d < split.length; d++)
    split = split.map((p, k) => (k === d ? [full[d]!] : p));
  return split;
}

/**
 * Whether kernel `k` computes all its rows in one unrolled vector loop wherever its cells fill a vector: few
 * rows, and in each such piece of cells (split at conditions, as a pad's ghost cells) the rows — joined across
 * the blocks of a concat — with the reductions over them fit the unrolled body. A group's row sums are kept in
 * its kernel only then: elsewhere they would take a nest of their own that recomputes every row inline.
 */
export function rowsUnrollWhole(k: Kernel): boolean {
  const { shape, ty, rowless } = k;
  const d = shape.length - 2;
  const n = shape[d] ?? 0;
  // integers have no SIMD form here (vectorizable): their rows are never unrolled
  const W = 16 / BYTES[ty];
  if (ty === 'i32' || d < 0 || n < 2 || n > UNROLL_ROWS || shape[d + 1]! < W) return false;
  const split = piecesOf(k);
  return [...rowsJoined(k, combosOf(split), split)].every(
    (r) =>
      r[d + 1]![1] - r[d + 1]![0] + 1 < W ||
      (r[d]![1] - r[d]![0] + 1 === n &&
        specialized(k, r, (outs) =>
          unrolledBody(
            k,
            outs.filter((o) => !rowless[o.j]),
            outs.filter((o) => rowless[o.j]),
            d,
            r,
          ),
        ) !== null),
  );
}

/** Every combination of one piece per dimension, outermost dimension first. */
function combosOf(split: readonly Range[][]): Range[][] {
  let combos: Range[][] = [[]];
  for (const ps of split) combos = combos.flatMap((c) => ps.map((p) => [...c, p]));
  return combos;
}

/**
 * Write the loops computing kernel `k` into the function: `bases` hold its arguments' byte addresses,
 * `outBases` its outputs'.
 */
export function emitKernel(
  env: EmitEnv,
  k: Kernel,
  bases: readonly number[],
  outBases: readonly number[],
): NestStats {
  const e = new NestEmitter(env, k, bases, outBases);
  e.emit();
  env.pool.releaseAll();
  return e.stats;
}
