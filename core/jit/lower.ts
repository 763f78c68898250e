/**
 * Lowering a staged program to launches: each block is analysed once per input-kind signature (fuse.ts), its
 * materialised values become kernel launches (codegen.ts), and every `scan` is unrolled — its body emitted
 * once per step over the carries of the previous step, so the whole time loop is one static list of launches
 * that a gpu.js pipeline records and runs on the device without returning to the host.
 *
 * A scan's per-step outputs (ys, the records) are read back once and stacked on the host into one flat
 * array. Launches that read such a stack must wait for it, so they start a new phase: each phase is one
 * pipeline call; values crossing phases travel as flat Float32Arrays (at most a few per program).
 */
import { P, type ScanParams } from '../interpreter/primitives';
import type { Jaxpr, Var } from '../ir/jaxpr';
import type { DType } from '../tensor/dtype';
import { type Shape, sizeOf } from '../tensor/shape';
import { ConcreteTensor } from '../tensor/tensor';
import { type KernelSpec, kernelFor } from './codegen';
import { type Analysis, AnalysisCache, type InKind } from './fuse';
import { JitUnsupported, layoutOf } from './layout';
import { type Lit, litTensor, makeLit, splatLit } from './lit';

/** A value during lowering: a constant, a program value (see ValInfo), or row `lead` of a program value. */
export type RRef =
  | { readonly k: 'lit'; readonly lit: Lit }
  | { readonly k: 'val'; readonly id: number }
  | { readonly k: 'xs'; readonly base: number; readonly lead: readonly number[]; readonly baseShape: Shape };

export interface ValInfo {
  readonly id: number;
  readonly shape: Shape;
  readonly dtype: DType;
  readonly origin:
    | { readonly k: 'input'; readonly index: number }
    | { readonly k: 'const'; readonly data: Float32Array }
    | { readonly k: 'launch'; readonly phase: number }
    /** ys of a scan, stacked on the host from one device value per step. */
    | { readonly k: 'stack'; readonly parts: readonly number[] };
  /** First phase that can read it. */
  readonly ready: number;
}

export type LArg = { readonly k: 'val'; readonly id: number } | { readonly k: 'int'; readonly v: number };

export interface Launch {
  readonly kernel: KernelSpec;
  readonly args: readonly LArg[];
  readonly out: number;
}

export interface Phase {
  readonly launches: Launch[];
  /** Values read by this phase's launches that come from the host (inputs, constants, earlier phases). */
  args: number[];
  /** Values this phase produces that are read back (by later phases, stacks, or as program outputs). */
  results: number[];
}

export interface Program {
  readonly vals: readonly ValInfo[];
  readonly phases: readonly Phase[];
  readonly outputs: readonly RRef[];
  /** Distinct kernels (shared between launches). */
  readonly kernels: readonly KernelSpec[];
  readonly launchCount: number;
}

const rowLits = new WeakMap<Lit, Map<number, Lit>>();

class Lowerer {
  readonly vals: ValInfo[] = [];
  readonly phases: Phase[] = [{ launches: [], args: [], results: [] }];
  private readonly litVals = new Map<Lit, number>();
  private readonly analyses = new AnalysisCache();
  readonly kernels = new Map<string, KernelSpec>();
  launchCount = 0;

  private get phase(): number {
    return this.phases.length - 1;
  }

  newVal(shape: Shape, dtype: DType, origin: ValInfo['origin'], ready: number): number {
    const id = this.vals.length;
    this.vals.push({ id, shape, dtype, origin, ready });
    return id;
  }

  /** A constant that a kernel reads as an array: uploaded once per call, like an input. */
  litVal(lit: Lit): number {
    let id = this.litVals.get(lit);
    if (id === undefined) {
      const data = Float32Array.from(litTensor(lit).data);
      id = this.newVal(lit.shape, lit.dtype, { k: 'const', data }, 0);
      this.litVals.set(lit, id);
    }
    return id;
  }

  private launch(an: Analysis, v: Var, refs: ReadonlyMap<Var, RRef>): RRef {
    const spec = kernelFor(an, v);
    const shared = this.kernels.get(spec.key) ?? spec;
    this.kernels.set(spec.key, shared);
    const refOf = (u: Var): RRef => {
      const r = refs.get(u) ?? (an.lits.has(u) ? { k: 'lit' as const, lit: an.lits.get(u)! } : undefined);
      if (!r) throw new Error(`jit lowering: no value for %${u.id}`);
      return r;
    };
    const args: LArg[] = spec.args.map((a) => {
      const r = refOf(a.v);
      if (a.k === 'var') {
        if (r.k === 'lit') return { k: 'val', id: this.litVal(r.lit) };
        if (r.k === 'val') return { k: 'val', id: r.id };
        throw new Error('jit lowering: a scan row was read as a whole array');
      }
      if (r.k !== 'xs') throw new Error('jit lowering: expected a scan row');
      return a.k === 'xsBase' ? { k: 'val', id: r.base } : { k: 'int', v: r.lead[a.level]! };
    });
    // A stack is on the host only after the phase that produced its parts: wait for it.
    const ready = Math.max(0, ...args.map((a) => (a.k === 'val' ? this.vals[a.id]!.ready : 0)));
    while (this.phase < ready) this.phases.push({ launches: [], args: [], results: [] });
    const out = this.newVal(v.aval.shape, v.aval.dtype, { k: 'launch', phase: this.phase }, this.phase);
    this.phases[this.phase]!.launches.push({ kernel: shared, args, out });
    this.launchCount++;
    return { k: 'val', id: out };
  }

  block(jaxpr: Jaxpr, env: readonly RRef[]): RRef[] {
    const kinds: InKind[] = env.map((r) =>
      r.k === 'lit'
        ? { k: 'lit', lit: r.lit }
        : r.k === 'val'
          ? { k: 'array' }
          : { k: 'xs', depth: r.lead.length, baseShape: r.baseShape },
    );
    const an = this.analyses.get(jaxpr, kinds);
    const refs = new Map<Var, RRef>();
    jaxpr.inVars.forEach((v, i) => {
      refs.set(v, env[i]!);
    });
    for (const [v, lit] of an.lits) if (!refs.has(v)) refs.set(v, { k: 'lit', lit });
    /** The value as a whole array (a scan row is copied out by its kernel). */
    const whole = (v: Var): RRef => {
      const r = refs.get(v);
      if (!r) throw new Error(`jit lowering: %${v.id} has no value`);
      if (r.k !== 'xs') return r;
      const copy = this.launch(an, v, refs);
      refs.set(v, copy);
      return copy;
    };
    for (const e of jaxpr.eqns) {
      if (e.outputs.every((o) => an.lits.has(o))) continue;
      if (e.prim === P.scan) {
        const outs = this.scan(e.params as ScanParams, e.inputs.map(whole));
        e.outputs.forEach((o, i) => {
          refs.set(o, outs[i]!);
        });
        continue;
      }
      const v = e.outputs[0]!;
      if (an.materialize.has(v)) refs.set(v, this.launch(an, v, refs));
    }
    return jaxpr.outVars.map((v) => {
      if (!refs.has(v) && an.materialize.has(v)) refs.set(v, this.launch(an, v, refs));
      return whole(v);
    });
  }

  private row(r: RRef, it: number): RRef {
    if (r.k === 'lit') {
      if (r.lit.splat !== null) {
        let m = rowLits.get(r.lit);
        if (!m) {
          m = new Map();
          rowLits.set(r.lit, m);
        }
        const row = m.get(0) ?? splatLit(r.lit.splat, r.lit.shape.slice(1), r.lit.dtype);
        m.set(0, row);
        return { k: 'lit', lit: row };
      }
      const id = this.litVal(r.lit);
      return { k: 'xs', base: id, lead: [it], baseShape: r.lit.shape };
    }
    if (r.k === 'val') return { k: 'xs', base: r.id, lead: [it], baseShape: this.vals[r.id]!.shape };
    return { k: 'xs', base: r.base, lead: [...r.lead, it], baseShape: r.baseShape };
  }

  private scan(p: ScanParams, operands: RRef[]): RRef[] {
    const { jaxpr, numConsts: nC, numCarry: nK, length } = p;
    if (length === 0) throw new JitUnsupported('jit: a scan of length 0 is not compiled');
    const consts = operands.slice(0, nC);
    let carry = operands.slice(nC, nC + nK);
    const xs = operands.slice(nC + nK);
    const nY = jaxpr.outVars.length - nK;
    const parts: RRef[][] = Array.from({ length: nY }, () => []);
    for (let it = 0; it < length; it++) {
      const outs = this.block(jaxpr, [...consts, ...carry, ...xs.map((x) => this.row(x, it))]);
      carry = outs.slice(0, nK);
      outs.slice(nK).forEach((y, k) => {
        parts[k]!.push(y);
      });
    }
    const ys = parts.map((ps, k): RRef => {
      const aval = jaxpr.outVars[nK + k]!.aval;
      const shape = [length, ...aval.shape];
      if (ps.every((r) => r.k === 'lit')) {
        const lits = ps.map((r) => (r as { lit: Lit }).lit);
        if (lits.every((l) => l.splat !== null && l.splat === lits[0]!.splat))
          return { k: 'lit', lit: splatLit(lits[0]!.splat!, shape, aval.dtype) };
        const m = sizeOf(aval.shape);
        const data = new Float64Array(length * m);
        lits.forEach((l, i) => {
          data.set(litTensor(l).data, i * m);
        });
        return { k: 'lit', lit: makeLit(new ConcreteTensor(data, shape, 'float64')) };
      }
      const ids = ps.map((r) => (r.k === 'lit' ? this.litVal(r.lit) : (r as { id: number }).id));
      const ready = Math.max(...ids.map((id) => this.readyOnHost(id)));
      return { k: 'val', id: this.newVal(shape, aval.dtype, { k: 'stack', parts: ids }, ready) };
    });
    return [...carry, ...ys];
  }

  /** The first phase that can read `id` from the host. */
  private readyOnHost(id: number): number {
    const o = this.vals[id]!.origin;
    return o.k === 'launch' ? o.phase + 1 : this.vals[id]!.ready;
  }
}

/** Lower a staged program whose inputs are the given constants (literals) and arrays. */
export function lowerProgram(jaxpr: Jaxpr, consts: readonly ConcreteTensor[]): Program {
  const L = new Lowerer();
  const env: RRef[] = jaxpr.inVars.map((v, i) => {
    if (i < consts.length) return { k: 'lit', lit: makeLit(consts[i]!) };
    layoutOf(v.aval.shape);
    return {
      k: 'val',
      id: L.newVal(v.aval.shape, v.aval.dtype, { k: 'input', index: i - consts.length }, 0),
    };
  });
  const outputs = L.block(jaxpr, env);
  // Which values cross phases: read back from the phase that made them, passed into the phase that reads them.
  const { vals, phases } = L;
  const resultSets = phases.map(() => new Set<number>());
  const needOnHost = (id: number) => {
    const o = vals[id]!.origin;
    if (o.k === 'launch') resultSets[o.phase]!.add(id);
    if (o.k === 'stack') for (const part of o.parts) needOnHost(part);
  };
  phases.forEach((ph, p) => {
    const args = new Set<number>();
    for (const l of ph.launches)
      for (const a of l.args) {
        if (a.k !== 'val') continue;
        const o = vals[a.id]!.origin;
        if (o.k === 'launch' && o.phase === p) continue;
        args.add(a.id);
        needOnHost(a.id);
      }
    ph.args = [...args];
  });
  for (const r of outputs) if (r.k === 'val') needOnHost(r.id);
  phases.forEach((ph, p) => {
    ph.results = [...resultSets[p]!];
  });
  return {
    vals,
    phases: phases.filter((ph) => ph.launches.length > 0),
    outputs,
    kernels: [...L.kernels.values()],
    launchCount: L.launchCount,
  };
}
