/**
 * A staged program as one WebAssembly function. Every block (the top level, each scan body) is analysed by
 * the shared fusion pass; each materialised value becomes a loop nest (loops.ts) written straight into its
 * destination — a scan's next carry, its row of stacked outputs, or a program output — and every `scan` is a
 * WebAssembly loop, so a whole time-stepping solve runs without returning to JavaScript.
 *
 * Memory is planned statically: one region per input, output, constant and value, a guard zone around them
 * (reads of a branch that a select discards may run past an array), carries double-buffered by swapping two
 * pointer locals at the end of each step.
 */
import { P, type ScanParams } from '../../interpreter/primitives';
import type { Jaxpr, Var } from '../../ir/jaxpr';
import { simplifyJaxpr } from '../../ir/simplify';
import type { DType } from '../../tensor/dtype';
import { type Shape, sizeOf } from '../../tensor/shape';
import type { ConcreteTensor } from '../../tensor/tensor';
import { type Analysis, AnalysisCache, type FusionCosts, type InKind } from '../fuse';
import { JitUnsupported } from '../layout';
import { type Lit, litTensor, makeLit, splatLit } from '../lit';
import { FuncBuilder, ModuleBuilder } from './encoder';
import { BYTES } from './expr';
import { type KernelArg, kernelOf, tyOf } from './kernel';
import { emitKernel, type ImportedFn, LocalPool, rowsUnrollWhole } from './loops';
import { siblingGroups } from './siblings';

/**
 * A read costs about as much as an operation here (the data of one step stays in cache), a write about two (a
 * store, and the pass of its own kernel), and a loop nest costs only its setup: the fusion keeps whole steps in a
 * few nests. Repricing (measured here, CPU time, same process): jacrev 400×400 −9 to −17%, jacfwd −11%, grad −8%,
 * θ-hessian −13%, the solve unchanged. Writes at 2 rather than 1 inline a backward step's scaled copies of its
 * adjoint into the transposed stencil that reads them at two offsets: jacrev f32 −17%, grad −5%, the solve unchanged.
 */
export const WASM_COSTS: FusionCosts = {
  read: 1,
  write: 2,
  launch: 64,
  costMax: 64,
  maxInputs: Infinity,
  reprice: true,
};

/** Largest memory a program may plan (WebAssembly's 32-bit address space, with room to spare). */
export const MAX_MEMORY_BYTES = 2 ** 31;

/** Where an array lives: a static address, or the address held in a local (a carry), plus per-step rows. */
interface Ptr {
  readonly addr: number;
  readonly local: number | null;
  readonly rows: readonly { readonly counter: number; readonly bytes: number }[];
  /** For the listing: t3, in0, carry1.0, ys1.0[i1], … */
  readonly name: string;
  /** The array flipped along its first axis, read only a row per step by scans (last row first). */
  readonly backwards?: true;
}
type Ref = { readonly k: 'lit'; readonly lit: Lit } | { readonly k: 'ptr'; readonly ptr: Ptr };

export interface Region {
  readonly addr: number;
  readonly shape: Shape;
  readonly dtype: DType;
}

export interface WasmProgram {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly memoryBytes: number;
  readonly inputs: readonly Region[];
  readonly outputs: readonly Region[];
  readonly consts: readonly (Region & { readonly data: ArrayLike<number> })[];
  /** Distinct kernel functions. */
  readonly kernels: number;
  /** Kernel call sites (a call inside a loop counts once). */
  readonly launches: number;
  readonly loops: number;
  /** The lowered program as text: buffers, kernel calls with their loop nests, loops, copies. */
  readonly listing: string;
  /**
   * Lowered for profiling: every kernel call is bracketed by calls of the import `profile.mark(line)` (the
   * listing line of the call) and `profile.mark(-1)`; see profileProgram.
   */
  readonly profiled: boolean;
}

/** Options of lowerWasm. */
export interface LowerOptions {
  /** Bracket every kernel call with the `profile.mark` import (WasmProgram.profiled). */
  readonly profile?: boolean;
}

const IMPORTS: readonly ImportedFn[] = ['sin', 'cos', 'tan', 'exp', 'log', 'tanh', 'pow'];
const ALIGN = 16;
const staticPtr = (addr: number, name: string): Ptr => ({ addr, local: null, rows: [], name });
const bytesOf = (shape: Shape, dtype: DType) => sizeOf(shape) * BYTES[tyOf(dtype)];
const typeOf = (shape: Shape, dtype: DType) => `${tyOf(dtype)}[${shape.join(',')}]`;

interface KernelFn {
  readonly index: number;
  readonly args: readonly KernelArg[];
  /** The values it computes, in output order: its group, or the group without the row sums left out. */
  readonly outs: readonly Var[];
  /** Its loop nests, for the listing. */
  readonly about: string;
}

class WasmLowering {
  readonly mb = new ModuleBuilder();
  readonly imports: Record<ImportedFn, number>;
  readonly f: FuncBuilder;
  readonly pool: LocalPool;
  private readonly constAddr = new Map<Lit, number>();
  readonly consts: (Region & { data: ArrayLike<number> })[] = [];
  private readonly analyses = new AnalysisCache(WASM_COSTS);
  private top = 0;
  /** Kernel call sites in the program text (a loop body's count once). */
  launches = 0;
  loops = 0;
  temps = 0;
  /** What printProgram shows: the program's statements, loops indented. */
  readonly listing: string[] = [];
  private indent = '  ';

  /** The `profile.mark` import, when lowering for profileProgram. */
  private readonly mark: number | null;
  /** Function indices start after the imports: kernel k is function k + this.importCount. */
  private readonly importCount: number;

  constructor(profile: boolean) {
    const imports = {} as Record<ImportedFn, number>;
    for (const fn of IMPORTS)
      imports[fn] = this.mb.importFunc('Math', fn, fn === 'pow' ? ['f64', 'f64'] : ['f64'], ['f64']);
    this.imports = imports;
    this.mark = profile ? this.mb.importFunc('profile', 'mark', ['i32'], []) : null;
    this.importCount = IMPORTS.length + (profile ? 1 : 0);
    this.f = this.mb.func([], [], 'run');
    this.pool = new LocalPool(this.f);
  }

  /** A region of `bytes`, relative to `base`. */
  alloc(bytes: number): number {
    const addr = this.top;
    this.top += Math.ceil(Math.max(bytes, 1) / ALIGN) * ALIGN;
    return addr;
  }

  litAddr(lit: Lit): number {
    let a = this.constAddr.get(lit);
    if (a === undefined) {
      const t = litTensor(lit);
      a = this.alloc(bytesOf(lit.shape, lit.dtype));
      this.listing.push(
        `${this.indent}const${this.consts.length} = ${typeOf(lit.shape, lit.dtype)} constant`,
      );
      this.consts.push({ addr: a, shape: lit.shape, dtype: lit.dtype, data: t.data });
      this.constAddr.set(lit, a);
    }
    return a;
  }

  litPtr(lit: Lit): Ptr {
    const addr = this.litAddr(lit);
    return staticPtr(addr, `const${this.consts.findIndex((c) => c.addr === addr)}`);
  }

  temp(shape: Shape, dtype: DType): Ptr {
    return staticPtr(this.alloc(bytesOf(shape, dtype)), `t${this.temps++}`);
  }

  /** Push the address of a pointer (static addresses are relative to `base`). */
  pushPtr(p: Ptr): void {
    const f = this.f;
    if (p.local !== null) f.get(p.local);
    else f.i32(this.base + p.addr);
    if (p.local !== null && p.addr !== 0) f.i32(p.addr).op('i32.add');
    for (const r of p.rows) f.get(r.counter).i32(r.bytes).op('i32.mul').op('i32.add');
  }

  /** Start of the planned area, after the front guard (known before any code is written: see lowerWasm). */
  base = 0;

  /** Copy `bytes` from a value to a pointer (a literal is written out). */
  copy(from: Ref, to: Ptr, shape: Shape, dtype: DType): void {
    const f = this.f;
    const bytes = bytesOf(shape, dtype);
    if (bytes === 0) return;
    if (from.k === 'lit' && from.lit.splat !== null) {
      const v = from.lit.splat;
      this.listing.push(`${this.indent}${to.name} = fill ${v}`);
      if (Object.is(v, 0)) {
        this.pushPtr(to);
        f.i32(0).i32(bytes).fc('memory.fill');
        return;
      }
      const ty = tyOf(dtype);
      const p = this.pool.take('i32');
      const end = this.pool.take('i32');
      this.pushPtr(to);
      f.tee(p).i32(bytes).op('i32.add').set(end);
      f.block('loop');
      f.get(p);
      if (ty === 'f32') f.f32(v);
      else if (ty === 'f64') f.f64(v);
      else f.i32(v);
      f.mem(`${ty}.store`);
      f.get(p).i32(BYTES[ty]).op('i32.add').tee(p).get(end).op('i32.lt_s').brIf(0);
      f.end();
      this.pool.releaseAll();
      return;
    }
    this.pushPtr(to);
    const src = from.k === 'lit' ? this.litPtr(from.lit) : from.ptr;
    this.pushPtr(src);
    f.i32(bytes).fc('memory.copy');
    this.listing.push(`${this.indent}${to.name} = copy ${src.name}`);
  }

  block(jaxpr: Jaxpr, env: readonly Ref[], dests: readonly (Ptr | null)[]): Ref[] {
    const kinds: InKind[] = env.map((r) => (r.k === 'lit' ? { k: 'lit', lit: r.lit } : { k: 'array' }));
    const an = this.analyses.get(jaxpr, kinds);
    const backwards = readBackwards(jaxpr);
    const siblings = siblingGroups(jaxpr, an, backwards);
    const refs = new Map<Var, Ref>();
    jaxpr.inVars.forEach((v, i) => {
      refs.set(v, env[i]!);
    });
    for (const [v, lit] of an.lits) if (!refs.has(v)) refs.set(v, { k: 'lit', lit });
    const claimed = new Set<number>();
    const done = new Map<string, Ptr[]>();
    const destFor = (v: Var): Ptr | null => {
      const j = jaxpr.outVars.findIndex((o, k) => o === v && dests[k] && !claimed.has(k));
      if (j < 0) return null;
      claimed.add(j);
      return dests[j]!;
    };
    for (const e of jaxpr.eqns) {
      if (e.outputs.every((o) => an.lits.has(o))) continue;
      if (e.prim === P.scan) {
        const outs = this.scan(
          e.params as ScanParams,
          e.inputs.map((x) => refs.get(x)!),
        );
        e.outputs.forEach((o, i) => {
          refs.set(o, outs[i]!);
        });
        continue;
      }
      const v = e.outputs[0]!;
      if (!an.materialize.has(v) || refs.has(v)) continue; // computed with its siblings
      const from = refs.get(e.inputs[0]!);
      if (backwards.has(v) && from?.k === 'ptr' && !from.ptr.backwards) {
        // reversed steps read the array in place, last row first: no reversed copy
        refs.set(v, { k: 'ptr', ptr: { ...from.ptr, backwards: true, name: `${from.ptr.name} backwards` } });
        continue;
      }
      const group = siblings.get(v) ?? [v];
      const { vars, ptrs } = this.kernel(an, group, refs, destFor, done);
      vars.forEach((m, j) => {
        refs.set(m, { k: 'ptr', ptr: ptrs[j]! });
      });
      // row sums the kernel left out are computed where the first of them stands, as siblings of one another
      const left = group.filter((m) => !vars.includes(m));
      for (const m of left) siblings.set(m, left);
    }
    return jaxpr.outVars.map((v, j) => {
      const r = refs.get(v);
      if (!r) throw new Error(`jit wasm: block output %${v.id} was never computed`);
      const d = dests[j];
      if (!d || (r.k === 'ptr' && r.ptr === d)) return r;
      this.copy(r, d, v.aval.shape, v.aval.dtype);
      return { k: 'ptr', ptr: d };
    });
  }

  /**
   * Call the kernel of `vs` (one value, or siblings) into `dests` (else new temporaries); the pointers that hold
   * the values. A kernel is a function of its arguments' addresses and its outputs' (shared by every block that
   * runs the same kernel): the loops compiled once, and small functions let the engine optimise each early. A
   * call of the same kernel function on the same buffers earlier in the block (`done`) is reused: the arrays a
   * block reads are never overwritten within it, so the results are the same.
   */
  private kernel(
    an: Analysis,
    group: readonly Var[],
    refs: ReadonlyMap<Var, Ref>,
    destFor: (v: Var) => Ptr | null,
    done: Map<string, Ptr[]>,
  ): { vars: readonly Var[]; ptrs: Ptr[] } {
    const v = group[0]!;
    let fn = an.kernels.get(v) as KernelFn | null | undefined;
    if (fn === undefined) {
      fn = this.kernelFn(an, group);
      an.kernels.set(v, fn);
    }
    const vs = fn?.outs ?? group;
    const dests = vs.map(destFor);
    const fresh = () => vs.map((x, j) => dests[j] ?? this.temp(x.aval.shape, x.aval.dtype));
    if (!fn) return { vars: vs, ptrs: fresh() };
    const ptrs = fn.args.map((a) => {
      const r: Ref | undefined = a.k === 'lit' ? { k: 'lit', lit: a.lit } : refs.get(a.v);
      if (!r) throw new Error('jit wasm: a kernel input has no value');
      return r.k === 'lit' ? this.litPtr(r.lit) : r.ptr;
    });
    const names = ptrs.map((p) => p.name);
    const key = `${fn.index}(${names.join(',')})`;
    const same = done.get(key);
    if (same) return { vars: vs, ptrs: same };
    const outs = fresh();
    done.set(key, outs);
    const line = this.listing.length + 1; // the listing's header line comes first
    if (this.mark !== null) this.f.i32(line).call(this.mark);
    for (const p of [...ptrs, ...outs]) this.pushPtr(p);
    this.f.call(fn.index);
    if (this.mark !== null) this.f.i32(-1).call(this.mark);
    this.launches++;
    // f32[8,400] ×3; a group with reductions over its rows: f32[16,8,400], f32[16,400] ×3
    const types = vs.map((x) => typeOf(x.aval.shape, x.aval.dtype));
    const type = [...new Set(types)]
      .map((t) => {
        const n = types.filter((x) => x === t).length;
        return n > 1 ? `${t} ×${n}` : t;
      })
      .join(', ');
    this.listing.push(
      `${this.indent}${outs.map((o) => o.name).join(', ')} = ${type} kernel${fn.index - this.importCount}(${names.join(', ')})  ${fn.about}`,
    );
    return { vars: vs, ptrs: outs };
  }

  /**
   * The kernel function of a group (null when its values are empty). Reductions over the first value's rows
   * stay in the group only when its loop will hold the rows (rowsUnrollWhole); else the kernel leaves them out
   * and they are computed on their own.
   */
  private kernelFn(an: Analysis, group: readonly Var[]): KernelFn | null {
    const rank = group[0]!.aval.shape.length;
    let vs: readonly Var[] = group.filter((v) => v.aval.shape.length === rank);
    let k = kernelOf(an, vs);
    // the row sums' terms do not split the rows: the rows' kernel alone says whether they unroll whole (and
    // when they fit, the kernel is built again with them: where they do not, as in a forward step, it is built once)
    if (vs.length < group.length && rowsUnrollWhole(k)) {
      const all = kernelOf(an, group);
      if (rowsUnrollWhole(all)) {
        vs = group;
        k = all;
      }
    }
    if (sizeOf(k.shape) === 0) return null;
    const body = new FuncBuilder(k.args.map(() => 'i32' as const).concat(vs.map(() => 'i32' as const)));
    const bases = k.args.map((_, i) => i);
    const stats = emitKernel(
      { f: body, pool: new LocalPool(body), imports: this.imports },
      k,
      bases,
      vs.map((_, j) => k.args.length + j),
    );
    const rows = stats.unrolledRows ? `, ${stats.unrolledRows} rows unrolled` : '';
    const vec = stats.vectorNests ? `, ${stats.vectorNests} in ${stats.lanes} lanes${rows}` : '';
    return {
      index: this.mb.add(body),
      args: k.args,
      outs: vs,
      about: `${stats.nests} nest${stats.nests > 1 ? 's' : ''}${vec}`,
    };
  }

  private scan(p: ScanParams, operands: Ref[]): Ref[] {
    const { jaxpr, numConsts: nC, numCarry: nK, length } = p;
    const carryIn = operands.slice(nC, nC + nK);
    const ysVars = jaxpr.outVars.slice(nK);
    if (length === 0)
      return [
        ...carryIn,
        ...ysVars.map((y): Ref => ({ k: 'lit', lit: splatLit(0, [0, ...y.aval.shape], y.aval.dtype) })),
      ];
    const f = this.f;
    const id = this.loops++;
    const consts = operands.slice(0, nC);
    const carryVars = jaxpr.inVars.slice(nC, nC + nK);
    const it = `i${id}`;
    const counter = f.local('i32');
    const ysBytes = ysVars.map((y) => bytesOf(y.aval.shape, y.aval.dtype));
    // A ys output that is the carry entering each step (reverse mode's stored steps) holds that carry itself:
    // step i reads row i and writes row i + 1, and one row more holds the final carry, so no step copies it.
    const inYs = new Map<number, number>();
    ysVars.forEach((y, j) => {
      const k = carryVars.indexOf(y);
      if (k >= 0 && !inYs.has(k)) inYs.set(k, j);
    });
    const held = new Set(inYs.values());
    const ysAddr = ysVars.map((_, j) => this.alloc((length + (held.has(j) ? 1 : 0)) * ysBytes[j]!));
    // other carries: two buffers each, swapped after every step (cur is read, nxt is written)
    const cur: Ptr[] = [];
    const nxt: Ptr[] = [];
    carryVars.forEach((v, k) => {
      const j = inYs.get(k);
      if (j !== undefined) {
        const step = [{ counter, bytes: ysBytes[j]! }];
        this.copy(carryIn[k]!, staticPtr(ysAddr[j]!, `ys${id}.${j}[0]`), v.aval.shape, v.aval.dtype);
        cur.push({ addr: ysAddr[j]!, local: null, rows: step, name: `ys${id}.${j}[${it}]` });
        nxt.push({ addr: ysAddr[j]! + ysBytes[j]!, local: null, rows: step, name: `ys${id}.${j}[${it}+1]` });
        return;
      }
      const name = `carry${id}.${k}`;
      const a = staticPtr(this.alloc(bytesOf(v.aval.shape, v.aval.dtype)), name);
      const b = this.alloc(bytesOf(v.aval.shape, v.aval.dtype));
      this.copy(carryIn[k]!, a, v.aval.shape, v.aval.dtype);
      cur.push({ addr: 0, local: f.local('i32'), rows: [], name });
      nxt.push({ addr: 0, local: f.local('i32'), rows: [], name: `${name}'` });
      f.i32(this.base + a.addr).set(cur[k]!.local!);
      f.i32(this.base + b).set(nxt[k]!.local!);
    });
    const rowOf = (ptr: Ptr, rowShape: Shape, dtype: DType): Ptr => {
      const bytes = bytesOf(rowShape, dtype);
      if (!ptr.backwards)
        return { ...ptr, rows: [...ptr.rows, { counter, bytes }], name: `${ptr.name}[${it}]` };
      const { backwards: _, ...plain } = ptr;
      return {
        ...plain,
        addr: ptr.addr + (length - 1) * bytes,
        rows: [...ptr.rows, { counter, bytes: -bytes }],
        name: `${ptr.name.replace(/ backwards$/, '')}[${length - 1}-${it}]`,
      };
    };
    const xsVars = jaxpr.inVars.slice(nC + nK);
    const xs = operands.slice(nC + nK).map((r, i): Ref => {
      const v = xsVars[i]!;
      return { k: 'ptr', ptr: rowOf(r.k === 'lit' ? this.litPtr(r.lit) : r.ptr, v.aval.shape, v.aval.dtype) };
    });
    const ys = ysVars.map((_, j) => staticPtr(ysAddr[j]!, `ys${id}.${j}`));
    const ysRows = ys.map((p, j) =>
      held.has(j) ? null : rowOf(p, ysVars[j]!.aval.shape, ysVars[j]!.aval.dtype),
    );
    this.listing.push(`${this.indent}loop ${it} < ${length} {`);
    const outer = this.indent;
    this.indent += '  ';
    f.i32(0).set(counter);
    f.block('loop');
    this.block(jaxpr, [...consts, ...cur.map((ptr): Ref => ({ k: 'ptr', ptr })), ...xs], [...nxt, ...ysRows]);
    const tmp = f.local('i32');
    const swapped = carryVars.map((_, k) => k).filter((k) => !inYs.has(k));
    for (const k of swapped)
      f.get(cur[k]!.local!).set(tmp).get(nxt[k]!.local!).set(cur[k]!.local!).get(tmp).set(nxt[k]!.local!);
    if (swapped.length)
      this.listing.push(
        `${this.indent}swap ${swapped.map((k) => `${cur[k]!.name} ${cur[k]!.name}'`).join(', ')}`,
      );
    f.get(counter).i32(1).op('i32.add').tee(counter).i32(length).op('i32.lt_s').brIf(0);
    f.end();
    this.indent = outer;
    this.listing.push(`${this.indent}}`);
    const final = cur.map((ptr, k): Ptr => {
      const j = inYs.get(k);
      return j === undefined ? ptr : staticPtr(ysAddr[j]! + length * ysBytes[j]!, `ys${id}.${j}[${length}]`);
    });
    return [...final.map((ptr): Ref => ({ k: 'ptr', ptr })), ...ys.map((ptr): Ref => ({ k: 'ptr', ptr }))];
  }

  /** The planned size in bytes (relative addresses span [0, top)). */
  get planned(): number {
    return this.top;
  }
}

/**
 * Values that are a `flip` along the first axis read only as the per-step inputs of scans in this block (a
 * reverse-mode loop walking stored steps backwards): the scan reads the unflipped array from its last row.
 */
function readBackwards(jaxpr: Jaxpr): Set<Var> {
  const flips = new Set<Var>();
  for (const e of jaxpr.eqns) {
    const axes = e.prim === P.flip ? (e.params as { axes: readonly number[] }).axes : [];
    if (axes.length === 1 && axes[0] === 0) flips.add(e.outputs[0]!);
  }
  const other = (v: Var) => flips.delete(v);
  for (const e of jaxpr.eqns) {
    const firstXs =
      e.prim === P.scan ? (e.params as ScanParams).numConsts + (e.params as ScanParams).numCarry : Infinity;
    e.inputs.forEach((v, i) => {
      if (i < firstXs) other(v);
    });
  }
  jaxpr.outVars.forEach(other);
  return flips;
}

/** Lower a staged program (constants first, then array inputs) to a WebAssembly module. */
function lowerWith(jaxpr: Jaxpr, consts: readonly ConcreteTensor[], base: number, profile: boolean) {
  const L = new WasmLowering(profile);
  L.base = base;
  const inputs: Region[] = [];
  const env: Ref[] = jaxpr.inVars.map((v, i) => {
    if (i < consts.length) return { k: 'lit', lit: makeLit(consts[i]!) };
    const addr = L.alloc(bytesOf(v.aval.shape, v.aval.dtype));
    L.listing.push(`  in${inputs.length}: ${typeOf(v.aval.shape, v.aval.dtype)}`);
    inputs.push({ addr, shape: v.aval.shape, dtype: v.aval.dtype });
    return { k: 'ptr', ptr: staticPtr(addr, `in${inputs.length - 1}`) };
  });
  const outputs: Region[] = jaxpr.outVars.map((v) => ({
    addr: L.alloc(bytesOf(v.aval.shape, v.aval.dtype)),
    shape: v.aval.shape,
    dtype: v.aval.dtype,
  }));
  L.block(
    jaxpr,
    env,
    outputs.map((o, j) => staticPtr(o.addr, `out${j}`)),
  );
  return { L, inputs, outputs };
}

/** Bytes of the largest array the program holds (a scan's stacked outputs included). */
function largestArray(jaxpr: Jaxpr): number {
  let most = 0;
  const see = (v: Var) => {
    most = Math.max(most, bytesOf(v.aval.shape, v.aval.dtype));
  };
  jaxpr.inVars.forEach(see);
  for (const e of jaxpr.eqns) {
    e.outputs.forEach(see);
    if (e.prim === P.scan) most = Math.max(most, largestArray((e.params as ScanParams).jaxpr));
  }
  return most;
}

export function lowerWasm(
  staged: Jaxpr,
  consts: readonly ConcreteTensor[],
  opts: LowerOptions = {},
): WasmProgram {
  const profile = opts.profile === true;
  const jaxpr = simplifyJaxpr(staged, consts);
  // Reads of a discarded branch stay within one array's extent of a real array: a guard that large on each
  // side keeps them inside the memory.
  const guard = Math.ceil((largestArray(jaxpr) + 4096) / ALIGN) * ALIGN;
  const { L, inputs, outputs } = lowerWith(jaxpr, consts, guard, profile);
  const memoryBytes = guard + L.planned + guard;
  if (memoryBytes > MAX_MEMORY_BYTES)
    throw new JitUnsupported(
      `jit wasm: this program needs ${(memoryBytes / 2 ** 20).toFixed(0)} MiB of memory, over the ${MAX_MEMORY_BYTES / 2 ** 20} MiB a module may plan`,
    );
  L.mb.memoryPages = Math.ceil(memoryBytes / 65536);
  const rebase = <R extends Region>(r: R): R => ({ ...r, addr: r.addr + guard });
  return {
    bytes: L.mb.encode(),
    memoryBytes,
    inputs: inputs.map(rebase),
    outputs: outputs.map(rebase),
    consts: L.consts.map(rebase),
    kernels: L.mb.functionCount - 1,
    profiled: profile,
    launches: L.launches,
    loops: L.loops,
    listing: [
      `wasm program: ${inputs.length} input(s), ${outputs.length} output(s), ${L.mb.functionCount - 1} kernel function(s)`,
      ...L.listing,
      `  return ${outputs.map((_, j) => `out${j}`).join(', ')}`,
    ].join('\n'),
  };
}
