/**
 * The middle IR of the WebAssembly target: the element of a kernel's output at a symbolic index, as a DAG of
 * scalar nodes (loads at affine indices, arithmetic, selects, index-range conditions, reductions over a bound
 * index). Nodes are hash-consed per graph, so equal subexpressions are one node (CSE), and every node knows
 * the index atoms it depends on, which decides the loop it is computed in (loop-invariant code motion).
 */
import { type Affine, affKey, affRange, type Range } from '../affine';

/** Element types: int32 and bool are both i32 (bool as 0/1). */
export type Ty = 'f32' | 'f64' | 'i32';
/** Bytes per element of each type. */
export const BYTES: Record<Ty, 4 | 8> = { f32: 4, f64: 8, i32: 4 };
export type UnFn =
  | 'neg'
  | 'abs'
  | 'sqrt'
  | 'floor'
  | 'trunc'
  | 'sin'
  | 'cos'
  | 'tan'
  | 'exp'
  | 'log'
  | 'tanh';
export type BinFn = 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max' | 'pow';
export type CmpFn = 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'ne';
export type RedFn = 'sum' | 'max' | 'min';
/** Functions WebAssembly has no instruction for: called from JavaScript's Math. */
export const IMPORTED: ReadonlySet<UnFn | BinFn> = new Set([
  'sin',
  'cos',
  'tan',
  'exp',
  'log',
  'tanh',
  'pow',
]);

interface Base {
  readonly id: number;
  readonly ty: Ty;
  /** Index atoms the value depends on (derived atoms listed with the atoms they are computed from). */
  readonly atoms: ReadonlySet<string>;
}
export type Node = Base &
  (
    | { readonly op: 'const'; readonly value: number }
    /** Element `index` of kernel argument `buf`. */
    | { readonly op: 'load'; readonly buf: number; readonly index: Affine }
    /** Element `base + clamp(at, 0, n-1)·stride` of argument `buf` (a data-dependent index). */
    | {
        readonly op: 'gather';
        readonly buf: number;
        readonly base: Affine;
        readonly stride: number;
        readonly n: number;
        readonly at: Node;
      }
    /** The integer value of an index expression. */
    | { readonly op: 'idx'; readonly e: Affine }
    | { readonly op: 'un'; readonly fn: UnFn; readonly x: Node }
    | { readonly op: 'bin'; readonly fn: BinFn; readonly a: Node; readonly b: Node }
    /** 1 or 0 (i32). */
    | { readonly op: 'cmp'; readonly fn: CmpFn; readonly a: Node; readonly b: Node }
    | { readonly op: 'select'; readonly c: Node; readonly a: Node; readonly b: Node }
    | { readonly op: 'cast'; readonly x: Node }
    /** lo ≤ e ≤ hi ? a : b, decided statically once the loops are split at lo and hi. */
    | {
        readonly op: 'cond';
        readonly e: Affine;
        readonly lo: number;
        readonly hi: number;
        readonly a: Node;
        readonly b: Node;
      }
    /** fn over atom ∈ [0, n) of body. */
    | {
        readonly op: 'reduce';
        readonly fn: RedFn;
        readonly atom: string;
        readonly n: number;
        readonly body: Node;
      }
  );
export type Op = Node['op'];
type Fields<O extends Op> = Omit<Extract<Node, { op: O }>, 'id' | 'atoms' | 'op' | 'ty'>;

/** For simplerBin: a constant 0, a floating constant 1, the operand of a negation. */
const isZero = (n: Node) => n.op === 'const' && n.value === 0;
const isOne = (n: Node) => n.op === 'const' && n.value === 1 && n.ty !== 'i32';
const negatedOf = (n: Node) => (n.op === 'un' && n.fn === 'neg' ? n.x : null);

/** An atom defined from others: ⌊e / k⌋. */
export interface Derived {
  readonly e: Affine;
  readonly k: number;
}

const round = (ty: Ty, x: number): number => (ty === 'f32' ? Math.fround(x) : ty === 'i32' ? x | 0 : x);

const FOLD_BIN: Record<BinFn, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  min: (a, b) => Math.min(a, b),
  max: (a, b) => Math.max(a, b),
  pow: (a, b) => a ** b,
};
const FOLD_CMP: Record<CmpFn, (a: number, b: number) => boolean> = {
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
};

export class Graph {
  private readonly nodes = new Map<string, Node>();
  private nextId = 0;
  private nextAtom = 0;
  readonly derived = new Map<string, Derived>();
  /** Ranges of every atom the graph has seen (loop atoms, reduce atoms, derived atoms). */
  readonly ranges = new Map<string, Range>();

  rangeOf = (atom: string): Range => {
    const r = this.ranges.get(atom);
    if (!r) throw new Error(`jit wasm: unknown index atom ${atom}`);
    return r;
  };

  /** A fresh atom with a range (loop counters, reduction indices). */
  atom(prefix: string, range: Range): string {
    const name = `${prefix}${this.nextAtom++}`;
    this.ranges.set(name, range);
    return name;
  }

  /** ⌊e / k⌋ as an atom (shared for equal e and k). */
  floorDiv(e: Affine, k: number): string {
    const key = `${affKey(e)}/${k}`;
    for (const [name, d] of this.derived) if (`${affKey(d.e)}/${d.k}` === key) return name;
    const [lo, hi] = affRange(e, this.rangeOf);
    const name = this.atom('q', [Math.floor(lo / k), Math.floor(hi / k)]);
    this.derived.set(name, { e, k });
    return name;
  }

  /** The atoms an affine form depends on, derived atoms expanded. */
  atomsOf(e: Affine): Set<string> {
    const s = new Set<string>();
    const add = (x: Affine) => {
      for (const [a] of x.t) {
        if (s.has(a)) continue;
        s.add(a);
        const d = this.derived.get(a);
        if (d) add(d.e);
      }
    };
    add(e);
    return s;
  }

  private make<O extends Op>(op: O, ty: Ty, f: Fields<O>, key: string, atoms: Set<string>): Node {
    const k = `${op}:${ty}:${key}`;
    const hit = this.nodes.get(k);
    if (hit) return hit;
    const n = { id: this.nextId++, op, ty, atoms, ...f } as unknown as Node;
    this.nodes.set(k, n);
    return n;
  }

  private static union(...xs: (ReadonlySet<string> | Set<string>)[]): Set<string> {
    const s = new Set<string>();
    for (const x of xs) for (const a of x) s.add(a);
    return s;
  }

  const(ty: Ty, value: number): Node {
    const v = round(ty, value);
    return this.make('const', ty, { value: v }, Object.is(v, -0) ? '-0' : String(v), new Set());
  }

  load(ty: Ty, buf: number, index: Affine): Node {
    return this.make('load', ty, { buf, index }, `${buf}@${affKey(index)}`, this.atomsOf(index));
  }

  gather(ty: Ty, buf: number, base: Affine, stride: number, n: number, at: Node): Node {
    return this.make(
      'gather',
      ty,
      { buf, base, stride, n, at },
      `${buf}@${affKey(base)}+${stride}*${at.id}<${n}`,
      Graph.union(this.atomsOf(base), at.atoms),
    );
  }

  idx(e: Affine): Node {
    if (e.t.length === 0) return this.const('i32', e.c);
    return this.make('idx', 'i32', { e }, affKey(e), this.atomsOf(e));
  }

  un(fn: UnFn, x: Node): Node {
    if (x.op === 'const') {
      const v = x.value;
      const r =
        fn === 'neg'
          ? -v
          : fn === 'abs'
            ? Math.abs(v)
            : fn === 'floor'
              ? Math.floor(v)
              : fn === 'trunc'
                ? Math.trunc(v)
                : Math[fn](v);
      return this.const(x.ty, r);
    }
    if (fn === 'neg' && x.op === 'un' && x.fn === 'neg') return x.x;
    return this.make('un', x.ty, { fn, x }, `${fn}(${x.id})`, x.atoms as Set<string>);
  }

  bin(fn: BinFn, a: Node, b: Node): Node {
    if (a.op === 'const' && b.op === 'const') {
      const r = FOLD_BIN[fn](a.value, b.value);
      return this.const(a.ty, a.ty === 'i32' && fn === 'div' ? Math.trunc(r) : r);
    }
    const simpler = this.simplerBin(fn, a, b);
    if (simpler) return simpler;
    return this.make('bin', a.ty, { fn, a, b }, `${fn}(${a.id},${b.id})`, Graph.union(a.atoms, b.atoms));
  }

  /**
   * An equal node with fewer operations, or null. A pad or a concat summed into an adjoint leaves `x + 0` in
   * every piece where the other operand is outside its range, and a transposed stencil leaves negations of
   * negations. Each rewrite gives the same value (`x + 0` only turns −0 into +0, which compares equal).
   */
  private simplerBin(fn: BinFn, a: Node, b: Node): Node | null {
    const na = negatedOf(a);
    const nb = negatedOf(b);
    switch (fn) {
      case 'add':
        if (isZero(b)) return a;
        if (isZero(a)) return b;
        if (nb) return this.bin('sub', a, nb);
        if (na) return this.bin('sub', b, na);
        return null;
      case 'sub':
        if (isZero(b)) return a;
        if (nb) return this.bin('add', a, nb);
        return null;
      case 'mul':
        if (isOne(b)) return a;
        if (isOne(a)) return b;
        if (a.ty !== 'i32' && (na || nb)) {
          const product = this.bin('mul', na ?? a, nb ?? b);
          return na && nb ? product : this.un('neg', product);
        }
        return null;
      default:
        return null;
    }
  }

  cmp(fn: CmpFn, a: Node, b: Node): Node {
    if (a.op === 'const' && b.op === 'const')
      return this.const('i32', FOLD_CMP[fn](a.value, b.value) ? 1 : 0);
    // a bool compared with false is itself
    if (fn === 'ne' && b.op === 'const' && b.value === 0 && a.op === 'cmp') return a;
    return this.make('cmp', 'i32', { fn, a, b }, `${fn}(${a.id},${b.id})`, Graph.union(a.atoms, b.atoms));
  }

  select(c: Node, a: Node, b: Node): Node {
    if (c.op === 'const') return c.value !== 0 ? a : b;
    if (a === b) return a;
    return this.make(
      'select',
      a.ty,
      { c, a, b },
      `${c.id}?${a.id}:${b.id}`,
      Graph.union(c.atoms, a.atoms, b.atoms),
    );
  }

  cast(ty: Ty, x: Node): Node {
    if (ty === x.ty) return x;
    if (x.op === 'const') return this.const(ty, ty === 'i32' ? Math.trunc(x.value) : x.value);
    return this.make('cast', ty, { x }, `${x.id}`, x.atoms as Set<string>);
  }

  cond(e: Affine, lo: number, hi: number, a: Node, b: Node): Node {
    if (a === b) return a;
    const [elo, ehi] = affRange(e, this.rangeOf);
    if (elo >= lo && ehi <= hi) return a;
    if (ehi < lo || elo > hi) return b;
    return this.make(
      'cond',
      a.ty,
      { e, lo, hi, a, b },
      `${affKey(e)}in${lo}:${hi}?${a.id}:${b.id}`,
      Graph.union(this.atomsOf(e), a.atoms, b.atoms),
    );
  }

  reduce(fn: RedFn, atom: string, n: number, body: Node): Node {
    const atoms = new Set(body.atoms);
    atoms.delete(atom);
    for (const [d, def] of this.derived) if (this.atomsOf(def.e).has(atom)) atoms.delete(d);
    return this.make('reduce', body.ty, { fn, atom, n, body }, `${fn}:${atom}<${n}:${body.id}`, atoms);
  }

  /**
   * The graph below `root` with every condition decided by the given atom ranges (a loop split at the
   * conditions' bounds knows which side each piece of a concat or pad takes). Ranges are set on the graph.
   */
  specialize(root: Node, ranges: ReadonlyMap<string, Range>): Node {
    for (const [a, r] of ranges) this.ranges.set(a, r);
    return this.rebuild(
      root,
      (e) => e,
      (n) => n.op === 'const' || n.op === 'load' || n.op === 'idx',
    );
  }

  /**
   * The graph below `root` with index atom `atom` fixed at `value` (an unrolled loop's iteration): its terms
   * move into the constants of affine indices, so each iteration's loads get their own immediate offsets and
   * the nodes that never read the atom stay shared. Null when a derived atom (⌊e/k⌋) reads it.
   */
  fix(root: Node, atom: string, value: number): Node | null {
    for (const d of this.derived.values()) if (this.atomsOf(d.e).has(atom)) return null;
    const at = (e: Affine): Affine => {
      const k = e.t.find(([a]) => a === atom)?.[1];
      return k === undefined ? e : { c: e.c + k * value, t: e.t.filter(([a]) => a !== atom) };
    };
    return this.rebuild(root, at, (n) => !n.atoms.has(atom));
  }

  /**
   * The graph below `root` with each load that `value` knows (an element of a literal array at a constant index)
   * replaced by that constant, as a kernel built at a constant index has it.
   */
  withConstants(root: Node, value: (buf: number, at: number) => number | undefined): Node {
    return this.rebuild(
      root,
      (e) => e,
      (n) => n.op === 'const' || n.op === 'idx',
      (n) => {
        if (n.index.t.length) return undefined;
        const v = value(n.buf, n.index.c);
        return v === undefined ? undefined : this.const(n.ty, v);
      },
    );
  }

  /**
   * The graph below `root` rebuilt bottom-up with every affine index mapped by `at` (`same` nodes kept as
   * they are); a condition that the current ranges decide becomes the branch it takes.
   */
  private rebuild(
    root: Node,
    at: (e: Affine) => Affine,
    same: (n: Node) => boolean,
    loaded: (n: Extract<Node, { op: 'load' }>) => Node | undefined = () => undefined,
  ): Node {
    const memo = new Map<Node, Node>();
    const go = (n: Node): Node => {
      const hit = memo.get(n);
      if (hit) return hit;
      let out: Node;
      if (same(n)) out = n;
      else
        switch (n.op) {
          case 'const':
            out = n;
            break;
          case 'load':
            out = loaded(n) ?? this.load(n.ty, n.buf, at(n.index));
            break;
          case 'idx':
            out = this.idx(at(n.e));
            break;
          case 'gather':
            out = this.gather(n.ty, n.buf, at(n.base), n.stride, n.n, go(n.at));
            break;
          case 'un':
            out = this.un(n.fn, go(n.x));
            break;
          case 'bin':
            out = this.bin(n.fn, go(n.a), go(n.b));
            break;
          case 'cmp':
            out = this.cmp(n.fn, go(n.a), go(n.b));
            break;
          case 'select':
            out = this.select(go(n.c), go(n.a), go(n.b));
            break;
          case 'cast':
            out = this.cast(n.ty, go(n.x));
            break;
          case 'cond': {
            const e = at(n.e);
            const [elo, ehi] = affRange(e, this.rangeOf);
            if (elo >= n.lo && ehi <= n.hi) out = go(n.a);
            else if (ehi < n.lo || elo > n.hi) out = go(n.b);
            else out = this.cond(e, n.lo, n.hi, go(n.a), go(n.b));
            break;
          }
          case 'reduce':
            out = this.reduce(n.fn, n.atom, n.n, go(n.body));
            break;
        }
      memo.set(n, out);
      return out;
    };
    return go(root);
  }
}

const below = new WeakMap<Node, Node[]>();

/** Every node reachable from `root` (reduce bodies included), in creation order: operands before users. */
export function nodesBelow(root: Node): Node[] {
  let hit = below.get(root);
  if (!hit) {
    hit = collectBelow(root);
    below.set(root, hit);
  }
  return hit;
}

function collectBelow(root: Node): Node[] {
  const seen = new Set<Node>();
  const visit = (n: Node) => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const c of children(n)) visit(c);
  };
  visit(root);
  return [...seen].sort((a, b) => a.id - b.id);
}

export function children(n: Node): Node[] {
  switch (n.op) {
    case 'const':
    case 'load':
    case 'idx':
      return [];
    case 'gather':
      return [n.at];
    case 'un':
    case 'cast':
      return [n.x];
    case 'bin':
    case 'cmp':
      return [n.a, n.b];
    case 'select':
      return [n.c, n.a, n.b];
    case 'cond':
      return [n.a, n.b];
    case 'reduce':
      return [n.body];
  }
}
