/**
 * Fusion analysis of one staged block (a jaxpr: the program's top level or a scan body): which values are
 * compile-time constants (folded here), and which values get their own kernel ("materialised"). Everything
 * else is inlined into the kernels that read it, as an index expression over their inputs.
 *
 * A value is materialised when it must exist as an array — a block output, an operand of a nested scan — or
 * when recomputing it at every read costs more than writing it once and reading it back (a value read K times
 * by a reduction, or broadcast over a larger array): inline cost evals·op vs size·op + evals + size + launch.
 */
import { P, type PrimName } from '../interpreter/primitives';
import { bind } from '../interpreter/trace';
import type { Eqn, Jaxpr, Var } from '../ir/jaxpr';
import type { DType } from '../tensor/dtype';
import { type Shape, sizeOf } from '../tensor/shape';
import { ConcreteTensor } from '../tensor/tensor';
import { type Lit, litTensor, makeLit, splatLit } from './lit';

/** What a block input is at run time. */
export type InKind =
  | { readonly k: 'array' }
  /** Row `it_0, it_1, ...` of an array with `depth` leading scan axes (a scan's per-step input). */
  | { readonly k: 'xs'; readonly depth: number; readonly baseShape: Shape }
  | { readonly k: 'lit'; readonly lit: Lit };

export interface Analysis {
  readonly jaxpr: Jaxpr;
  readonly inKinds: readonly InKind[];
  readonly inIndex: ReadonlyMap<Var, number>;
  readonly lits: ReadonlyMap<Var, Lit>;
  readonly producer: ReadonlyMap<Var, Eqn>;
  /** Values computed by a kernel of their own (eqn outputs, or scan rows that must be copied out). */
  readonly materialize: ReadonlySet<Var>;
  /** Codegen cache: the kernel computing each materialised value. */
  readonly kernels: Map<Var, unknown>;
}

/** Folding larger constants than this is left to kernels (a splat of any size is always folded). */
const FOLD_MAX = 1 << 16;
/** The cost model of a target, in units of one arithmetic operation per element. */
export interface FusionCosts {
  readonly read: number;
  readonly write: number;
  /** A kernel of its own, beyond its memory traffic. */
  readonly launch: number;
  /** No value is inlined whose per-element cost exceeds this. */
  readonly costMax: number;
  /** Arrays one kernel may read. */
  readonly maxInputs: number;
  /** Decide kernels in two rounds, the second pricing inputs by the first's kernels (see analyze). */
  readonly reprice?: boolean;
}

/**
 * WebGPU guarantees 8 storage buffers per shader stage (browsers give no more unless asked): a kernel reads
 * at most this many arrays, its output being the eighth. Every gpu.js backend gets the same program.
 */
export const MAX_KERNEL_INPUTS = 7;

/**
 * gpu.js: its webasm kernels gather every array read lane by lane, so a read or write costs about as much as
 * a few operations; a launch inside a pipeline costs little (under a microsecond) beyond its memory traffic.
 */
export const GPUJS_COSTS: FusionCosts = {
  read: 2,
  write: 2,
  launch: 2048,
  costMax: 64,
  maxInputs: MAX_KERNEL_INPUTS,
};

/** Elementwise ops that cost a few arithmetic operations each (a call or a series): weighted 4 below. */
const TRANSCENDENTAL: readonly PrimName[] = [
  'sin',
  'cos',
  'tan',
  'exp',
  'log',
  'sqrt',
  'tanh',
  'logistic',
  'pow',
];
const ELEMENTWISE = new Set<PrimName>([
  ...TRANSCENDENTAL,
  'neg',
  'abs',
  'sign',
  'powScalar',
  'add',
  'sub',
  'mul',
  'div',
  'maximum',
  'minimum',
  'lt',
  'le',
  'gt',
  'ge',
  'eq',
  'ne',
  'where',
  'cast',
]);
const INDEX = new Set<PrimName>(['reshape', 'expand', 'transpose', 'slice', 'flip']);

const size = (v: Var) => sizeOf(v.aval.shape);

function opCost(e: Eqn): number {
  const name = e.prim.name as PrimName;
  if (TRANSCENDENTAL.includes(name)) return 4;
  if (ELEMENTWISE.has(name)) return name === 'powScalar' ? 2 : 1;
  switch (name) {
    case 'sum':
    case 'max':
    case 'min':
      return size(e.inputs[0]!) / Math.max(1, size(e.outputs[0]!));
    case 'matmul':
      return 2 * e.inputs[0]!.aval.shape.at(-1)!;
    case 'gather':
      return 2;
    case 'scatterAdd':
      return 2 * e.inputs[1]!.aval.shape[e.params.axis]!;
    default:
      return 0;
  }
}

/** Reads of input `i` per element of the eqn's output. */
function readFactor(e: Eqn, i: number): number {
  const name = e.prim.name as PrimName;
  const out = e.outputs[0]!;
  switch (name) {
    case 'pad':
    case 'concat':
      return size(e.inputs[i]!) / size(out);
    case 'sum':
    case 'max':
    case 'min':
      return size(e.inputs[0]!) / Math.max(1, size(out));
    case 'matmul':
      return e.inputs[0]!.aval.shape.at(-1)!;
    case 'scatterAdd':
      return i === 0 ? 1 : e.inputs[1]!.aval.shape[e.params.axis]!;
    default:
      return 1;
  }
}

function scalarOf(l: Lit): ConcreteTensor {
  const data =
    l.dtype === 'int32' ? new Int32Array(1) : l.dtype === 'bool' ? new Uint8Array(1) : new Float64Array(1);
  data[0] = l.splat!;
  return new ConcreteTensor(l.dtype === 'float32' ? new Float32Array(data) : data, [], l.dtype);
}

/** Evaluate an eqn on constants, or null when it is too large to fold. */
function fold(e: Eqn, ins: Lit[]): Lit[] | null {
  const name = e.prim.name as PrimName;
  const outs = e.outputs;
  const total = outs.reduce((s, v) => s + size(v), 0);
  if (total <= FOLD_MAX) {
    const res = bind(e.prim, ins.map(litTensor), e.params) as ConcreteTensor[];
    return res.map((r) => makeLit(r));
  }
  if (!ins.every((l) => l.splat !== null)) return null;
  const out = outs[0]!;
  const mk = (value: number, dtype: DType = out.aval.dtype) => [splatLit(value, out.aval.shape, dtype)];
  if (ELEMENTWISE.has(name)) {
    const r = bind(e.prim, ins.map(scalarOf), e.params)[0] as ConcreteTensor;
    return mk(r.data[0]!, r.dtype);
  }
  if (INDEX.has(name)) return mk(ins[0]!.splat!);
  if (name === 'pad' && e.params.value === ins[0]!.splat) return mk(ins[0]!.splat!);
  if (name === 'concat' && ins.every((l) => l.splat === ins[0]!.splat)) return mk(ins[0]!.splat!);
  return null;
}

export function analyze(
  jaxpr: Jaxpr,
  inKinds: readonly InKind[],
  costs: FusionCosts = GPUJS_COSTS,
): Analysis {
  const lits = new Map<Var, Lit>();
  const inIndex = new Map<Var, number>();
  jaxpr.inVars.forEach((v, i) => {
    inIndex.set(v, i);
    const k = inKinds[i]!;
    if (k.k === 'lit') lits.set(v, k.lit);
  });
  const producer = new Map<Var, Eqn>();
  for (const e of jaxpr.eqns) {
    for (const o of e.outputs) producer.set(o, e);
    if (e.inputs.every((x) => lits.has(x))) {
      const folded = fold(
        e,
        e.inputs.map((x) => lits.get(x)!),
      );
      if (folded)
        e.outputs.forEach((o, i) => {
          lits.set(o, folded[i]!);
        });
    }
  }
  // Values that need no kernel to exist as an array: array inputs, constants, scan results.
  const isRef = (v: Var) => {
    if (lits.has(v)) return true;
    const i = inIndex.get(v);
    if (i !== undefined) return inKinds[i]!.k === 'array';
    return producer.get(v)?.prim === P.scan;
  };
  const required = new Set<Var>();
  for (const v of jaxpr.outVars) if (!isRef(v)) required.add(v);
  for (const e of jaxpr.eqns)
    if (e.prim === P.scan && !e.outputs.every((o) => lits.has(o)))
      for (const x of e.inputs) if (!isRef(x)) required.add(x);

  const decide = (kernels: ReadonlySet<Var>): Set<Var> => {
    const materialize = new Set<Var>();
    // Pass 1 (forward): per-element cost of each value computed inline. A value whose inline cost passes
    // costs.costMax gets its own kernel: this bounds every kernel and stops chains of stencils (an unrolled backward
    // pass reads each value at i−1, i, i+1: 3^depth inline) from growing exponentially.
    const cost = new Map<Var, number>();
    const costIn = (u: Var) =>
      isRef(u) || materialize.has(u) || kernels.has(u) || required.has(u)
        ? costs.read
        : (cost.get(u) ?? costs.read);
    for (const e of jaxpr.eqns) {
      if (e.prim === P.scan || e.outputs.every((o) => lits.has(o))) continue;
      const v = e.outputs[0]!;
      let c = opCost(e);
      e.inputs.forEach((x, i) => {
        c += readFactor(e, i) * costIn(x);
      });
      cost.set(v, c);
      if (c > costs.costMax) materialize.add(v);
    }
    // Pass 2 (backward): how often each value would be evaluated inline by the kernels that read it; inline
    // costs evals·cost, a kernel of its own size·(cost + write) + evals·read + a launch.
    const evals = new Map<Var, number>();
    const addEvals = (v: Var, n: number) => {
      if (!isRef(v)) evals.set(v, (evals.get(v) ?? 0) + n);
    };
    for (let k = jaxpr.eqns.length - 1; k >= 0; k--) {
      const e = jaxpr.eqns[k]!;
      if (e.prim === P.scan || e.outputs.every((o) => lits.has(o))) continue;
      const v = e.outputs[0]!;
      const ev = evals.get(v) ?? 0;
      if (ev === 0 && !required.has(v)) {
        materialize.delete(v); // dead: nothing reads it
        continue;
      }
      let mat = required.has(v) || materialize.has(v);
      if (!mat) {
        const c = cost.get(v)!;
        // Pure index maps are never worth a kernel of their own: two reshapes of one value would otherwise be
        // written twice. Their reads count for their input.
        const indexOnly = INDEX.has(e.prim.name as PrimName) || e.prim === P.pad || e.prim === P.concat;
        mat = !indexOnly && ev * c > size(v) * (c + costs.write) + ev * costs.read + costs.launch;
      }
      if (mat) materialize.add(v);
      const f = mat ? size(v) : ev;
      e.inputs.forEach((x, i) => {
        addEvals(x, f * readFactor(e, i));
      });
    }
    return materialize;
  };
  // A second round prices every value again with the first round's kernels read from memory: a value that looked
  // expensive only because it inlined what then got a kernel of its own (the products of a backward step's one
  // materialised adjoint) is inlined into its readers.
  const first = decide(new Set());
  const materialize = costs.reprice ? decide(first) : first;
  // Scan rows that must exist as arrays are copied out by a kernel.
  for (const v of required) if (inIndex.has(v)) materialize.add(v);
  boundInputs(jaxpr, materialize, producer, isRef, lits, costs.maxInputs);
  return { jaxpr, inKinds, inIndex, lits, producer, materialize, kernels: new Map() };
}

/** A constant bigger than this is passed to kernels as an array (codegen turns smaller reads into selects). */
const LIT_INLINE_MAX = 8;

/**
 * Split kernels that would read more than `maxInputs` arrays: materialise the inlined subexpression
 * with the most distinct array reads that still fits in one kernel, until the reader fits. A kernel whose
 * single op reads too many arrays (a wide concat) cannot be split this way; the backend then refuses it and
 * jit falls back with the backend's message.
 */
function boundInputs(
  jaxpr: Jaxpr,
  materialize: Set<Var>,
  producer: ReadonlyMap<Var, Eqn>,
  isRef: (v: Var) => boolean,
  lits: ReadonlyMap<Var, Lit>,
  maxInputs: number,
): void {
  const inline = (v: Var) => !isRef(v) && !materialize.has(v) && producer.has(v);
  const leavesOf = (root: Var): { leaves: Map<Var, Set<Var>>; order: Var[] } => {
    const leaves = new Map<Var, Set<Var>>();
    const order: Var[] = [];
    const visit = (v: Var): Set<Var> => {
      const hit = leaves.get(v);
      if (hit) return hit;
      const own = new Set<Var>();
      if (v !== root && !inline(v)) {
        const lit = lits.get(v);
        if (!lit || (lit.splat === null && sizeOf(lit.shape) > LIT_INLINE_MAX)) own.add(v);
      } else {
        for (const x of producer.get(v)?.inputs ?? []) for (const l of visit(x)) own.add(l);
        if (v !== root) order.push(v);
      }
      leaves.set(v, own);
      return own;
    };
    visit(root);
    return { leaves, order };
  };
  for (const e of jaxpr.eqns) {
    const v = e.outputs[0];
    if (!v || !materialize.has(v) || e.prim === P.scan) continue;
    for (;;) {
      const { leaves, order } = leavesOf(v);
      if (leaves.get(v)!.size <= maxInputs) break;
      let best: Var | null = null;
      for (const u of order) {
        const n = leaves.get(u)!.size;
        if (n >= 2 && n <= maxInputs && (!best || n > leaves.get(best)!.size)) best = u;
      }
      if (!best) break;
      materialize.add(best);
    }
  }
}

/** Cache key of an input-kind signature (literals by identity). */
const litIds = new WeakMap<Lit, number>();
let nextLitId = 0;
export function kindsKey(kinds: readonly InKind[]): string {
  return kinds
    .map((k) => {
      if (k.k === 'array') return 'a';
      if (k.k === 'xs') return `x${k.depth}:${k.baseShape.join(',')}`;
      let id = litIds.get(k.lit);
      if (id === undefined) {
        id = nextLitId++;
        litIds.set(k.lit, id);
      }
      return `l${id}`;
    })
    .join('|');
}

/** Analyses of the blocks of one program, per input-kind signature (a scan body is analysed once). */
export class AnalysisCache {
  private readonly byJaxpr = new Map<Jaxpr, Map<string, Analysis>>();
  constructor(private readonly costs: FusionCosts = GPUJS_COSTS) {}

  get(jaxpr: Jaxpr, kinds: readonly InKind[]): Analysis {
    let byKinds = this.byJaxpr.get(jaxpr);
    if (!byKinds) {
      byKinds = new Map();
      this.byJaxpr.set(jaxpr, byKinds);
    }
    const key = kindsKey(kinds);
    let an = byKinds.get(key);
    if (!an) {
      an = analyze(jaxpr, kinds, this.costs);
      byKinds.set(key, an);
    }
    return an;
  }
}
