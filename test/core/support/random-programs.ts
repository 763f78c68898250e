/**
 * Random straight-line programs over core's ops, for property tests. A program is generated for one input
 * shape (shape-dependent choices are made then), so the same program can be run on concrete tensors, on
 * tracers inside any transform, and on every element of a batch. Each step takes one or two earlier values
 * (fan-out exercises cotangent accumulation) and may close over constants made at generation time.
 *
 * Steps are chosen by trying them on a sample input: a step whose result is empty, too large, or not finite
 * and moderate in size is rejected, so programs stay well conditioned near the sample (finite differences
 * need that) without duplicating the ops' shape rules here.
 */

import type { IndexSpec, Tensor } from '../../../core/index';
import * as C from '../../../core/index';
import { compositeCandidates } from './composite-steps';

export interface ProgramOptions {
  /** Number of steps (default 5). */
  steps?: number;
  /** Only ops that are smooth everywhere (for finite differences); otherwise abs, max, where... too. */
  smooth?: boolean;
  /** Largest number of elements any intermediate may have (default 48). */
  maxSize?: number;
  /** Largest magnitude any intermediate may reach on the sample (default 6). */
  maxMagnitude?: number;
  /** 'composite': only the ops written as compositions (softmax, einsum, ...), so each program tests them. */
  ops?: 'all' | 'composite';
}

export interface Step {
  readonly text: string;
  readonly apply: (vals: readonly Tensor[]) => Tensor;
}

export interface Program {
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  /** One line per step, `%k = op(%i, ...)`, for failure messages. */
  readonly text: string;
  readonly run: (x: Tensor) => Tensor;
}

export type Candidate = (v: number, w: number) => Step | null;

export class Gen {
  private readonly next: () => number;
  private constSeed: number;

  constructor(seed: number) {
    this.next = C.rng(seed);
    this.constSeed = seed * 7919 + 1;
  }

  float(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }

  shuffle<T>(xs: readonly T[]): T[] {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  constant(shape: readonly number[], lo = -1, hi = 1): Tensor {
    return C.rand(shape, { seed: this.constSeed++, low: lo, high: hi });
  }

  ints(shape: readonly number[], below: number): Tensor {
    const n = shape.reduce((a, b) => a * b, 1);
    return C.tensor(
      Int32Array.from({ length: n }, () => this.int(0, below - 1)),
      {
        shape,
        dtype: 'int32',
      },
    );
  }
}

const fmtShape = (s: readonly number[]) => `[${s.join(',')}]`;

type BinaryOp = (a: Tensor, b: Tensor) => Tensor;
const ARITHMETIC: Record<string, BinaryOp> = { add: C.add, sub: C.sub, mul: C.mul };
const WITH_CONSTANT: Record<string, BinaryOp> = { ...ARITHMETIC, div: C.div };
const EXTREMA: Record<string, BinaryOp> = { maximum: C.maximum, minimum: C.minimum };
type Reduction = (x: Tensor, axes: number | number[], opts: { keepdim: boolean }) => Tensor;
const MEANS: Record<string, Reduction> = { sum: C.sum, mean: C.mean };
const EXTREMES: Record<string, Reduction> = { amax: C.amax, amin: C.amin };

/** A random index spec for one axis of size n: an integer, or a slice text with any sign of step. */
function randomAxisSpec(g: Gen, n: number, allowInt: boolean): IndexSpec {
  if (allowInt && g.bool(0.3)) return g.bool() ? g.int(0, n - 1) : -g.int(1, n);
  if (g.bool(0.2)) return ':';
  const bound = () => (g.bool(0.25) ? '' : String(g.int(-n - 1, n + 1)));
  const step = g.pick([1, 1, 2, 3, -1, -1, -2, -3]);
  return `${bound()}:${bound()}:${step}`;
}

function randomSpecs(g: Gen, shape: readonly number[], forUpdate: boolean): IndexSpec[] {
  const specs: IndexSpec[] = shape.map((n) => randomAxisSpec(g, n, true));
  // Trailing full slices may be left out; '...' can stand for a run of them.
  while (specs.length && specs[specs.length - 1] === ':' && g.bool()) specs.pop();
  if (specs.length < shape.length && g.bool(0.3)) specs.push('...');
  if (!forUpdate && g.bool(0.2)) specs.splice(g.int(0, specs.length), 0, null);
  return specs;
}

const fmtSpecs = (specs: readonly IndexSpec[]) =>
  specs.map((s) => (typeof s === 'string' ? `'${s}'` : String(s))).join(', ');

/** All step kinds; each returns null when it does not apply to the operands' shapes. */
function candidates(g: Gen, shapes: readonly (readonly number[])[], smooth: boolean): Candidate[] {
  const unary =
    (name: string, f: (x: Tensor) => Tensor): Candidate =>
    (v) => ({
      text: `${name}(%${v})`,
      apply: (xs) => f(xs[v]!),
    });
  // A second operand that broadcasts against the first (the first itself when the other does not).
  const partner = (v: number, w: number) => {
    const [a, b] = [shapes[v]!, shapes[w]!];
    const fits = a
      .slice()
      .reverse()
      .every((d, i) => {
        const e = b[b.length - 1 - i];
        return e === undefined || d === e || d === 1 || e === 1;
      });
    return fits ? w : v;
  };
  const rankAtLeast =
    (r: number, c: Candidate): Candidate =>
    (v, w) =>
      shapes[v]!.length >= r ? c(v, w) : null;

  const list: Candidate[] = [
    unary('sin', C.sin),
    unary('cos', (x) => x.cos()),
    unary('tanh', C.tanh),
    unary('sigmoid', (x) => x.sigmoid()),
    unary('neg', C.neg),
    unary('square', (x) => C.pow(x, 2)),
    unary('cube', (x) => x.pow(3)),
    unary('log(1+x²)', (x) => C.log(C.add(1, C.mul(x, x)))),
    unary('sqrt(1+x²)', (x) => C.sqrt(C.add(1, C.square(x)))),
    unary('exp(-x²)', (x) => C.exp(C.neg(C.square(x)))),
    unary('exp(tanh)', (x) => C.exp(C.tanh(x))),
    unary('tan(tanh)', (x) => C.tan(C.tanh(x))),
    unary('pow(1.5+sin,1+cos/2)', (x) => C.pow(C.add(1.5, C.sin(x)), C.add(1, C.mul(C.cos(x), 0.5)))),
    (v) => {
      const [a, b] = [g.float(-1.5, 1.5), g.float(-1, 1)];
      return { text: `%${v}*${a.toFixed(3)}+${b.toFixed(3)}`, apply: (xs) => xs[v]!.mul(a).add(b) };
    },
    (v, w0) => {
      const w = partner(v, w0);
      const [op, f] = g.pick(Object.entries(ARITHMETIC));
      return { text: `${op}(%${v}, %${w})`, apply: (xs) => f(xs[v]!, xs[w]!) };
    },
    (v, w0) => {
      const w = partner(v, w0);
      return { text: `div(%${v}, 2+sin(%${w}))`, apply: (xs) => C.div(xs[v]!, C.add(2, C.sin(xs[w]!))) };
    },
    // A constant that broadcasts against the operand (some axes 1, maybe a new leading axis).
    (v) => {
      const s = shapes[v]!;
      const drop = g.int(0, s.length);
      const shape = s.slice(drop).map((d) => (g.bool(0.3) ? 1 : d));
      if (drop === 0 && g.bool(0.25)) shape.unshift(2);
      const [op, f] = g.pick(Object.entries(WITH_CONSTANT));
      const c = op === 'div' ? g.constant(shape, 0.5, 1.5) : g.constant(shape);
      return { text: `${op}(%${v}, const${fmtShape(shape)})`, apply: (xs) => f(xs[v]!, c) };
    },
    // Shape ops.
    (v) => {
      const s = shapes[v]!;
      const target = [...s];
      const choice = g.int(0, 3);
      if (choice === 0) return { text: `flatten(%${v})`, apply: (xs) => xs[v]!.flatten() };
      if (choice === 1 && s.length >= 2) {
        const i = g.int(0, s.length - 2);
        target.splice(i, 2, s[i]! * s[i + 1]!);
      } else if (choice === 2) {
        const i = g.int(0, s.length - 1);
        const d = s[i];
        const f = d === undefined ? 0 : [2, 3].find((k) => d % k === 0 && d > k);
        if (!f) return null;
        target.splice(i, 1, f, d! / f);
      } else target.unshift(1);
      if (target.length && g.bool(0.3)) target[g.int(0, target.length - 1)] = -1;
      return { text: `reshape(%${v}, ${fmtShape(target)})`, apply: (xs) => C.reshape(xs[v]!, target) };
    },
    rankAtLeast(2, (v) => {
      const perm = g.shuffle([...shapes[v]!.keys()]);
      return { text: `permute(%${v}, ${fmtShape(perm)})`, apply: (xs) => xs[v]!.permute(...perm) };
    }),
    rankAtLeast(2, (v) => {
      const r = shapes[v]!.length;
      const [a, b] = [g.int(-r, r - 1), g.int(-r, r - 1)];
      return g.bool()
        ? { text: `transpose(%${v}, ${a}, ${b})`, apply: (xs) => xs[v]!.transpose(a, b) }
        : { text: `movedim(%${v}, ${a}, ${b})`, apply: (xs) => C.movedim(xs[v]!, a, b) };
    }),
    (v) => {
      const r = shapes[v]!.length;
      const a = g.int(-r - 1, r);
      return { text: `unsqueeze(%${v}, ${a})`, apply: (xs) => C.unsqueeze(xs[v]!, a) };
    },
    (v) => {
      const s = shapes[v]!;
      const units = s.flatMap((d, i) => (d === 1 ? [i] : []));
      if (!units.length) return null;
      const a = g.pick(units);
      return g.bool()
        ? { text: `squeeze(%${v}, ${a})`, apply: (xs) => C.squeeze(xs[v]!, a) }
        : { text: `squeeze(%${v})`, apply: (xs) => xs[v]!.squeeze() };
    },
    (v) => {
      const s = shapes[v]!;
      const k = g.int(2, 3);
      const units = s.flatMap((d, i) => (d === 1 ? [i] : []));
      const target = units.length && g.bool() ? s.map((_d, i) => (i === units[0] ? k : -1)) : [k, ...s];
      return { text: `expand(%${v}, ${fmtShape(target)})`, apply: (xs) => C.expand(xs[v]!, target) };
    },
    rankAtLeast(1, (v) => {
      const r = shapes[v]!.length;
      const axes = g.shuffle([...Array(r).keys()]).slice(0, g.int(1, r));
      return { text: `flip(%${v}, ${fmtShape(axes)})`, apply: (xs) => C.flip(xs[v]!, axes) };
    }),
    (v) => {
      const counts = shapes[v]!.map(() => g.int(1, 2));
      if (g.bool(0.4)) counts.unshift(2);
      return { text: `repeat(%${v}, ${counts})`, apply: (xs) => xs[v]!.repeat(...counts) };
    },
    rankAtLeast(1, (v, w) => {
      const r = shapes[v]!.length;
      const axis = g.int(-r, r - 1);
      const other = shapes[w]!.join() === shapes[v]!.join() ? w : v;
      return { text: `cat([%${v}, %${other}], ${axis})`, apply: (xs) => C.cat([xs[v]!, xs[other]!], axis) };
    }),
    (v) => {
      const axis = g.int(0, shapes[v]!.length);
      const c = g.constant(shapes[v]!);
      return {
        text: `stack([%${v}, sin(%${v})*const], ${axis})`,
        apply: (xs) => C.stack([xs[v]!, C.mul(C.sin(xs[v]!), c)], axis),
      };
    },
    rankAtLeast(1, (v) => {
      const s = shapes[v]!;
      const axes = Math.min(s.length, g.int(1, 2));
      const circular = g.bool();
      const pads = Array.from({ length: 2 * axes }, (_, i) =>
        g.int(0, circular ? Math.min(2, s[s.length - 1 - (i >> 1)]!) : 2),
      );
      const value = circular ? 0 : g.pick([0, 0.5, -1]);
      const mode = circular ? 'circular' : 'constant';
      return {
        text: `pad(%${v}, ${fmtShape(pads)}, ${mode}, ${value})`,
        apply: (xs) => C.pad(xs[v]!, pads, mode, value),
      };
    }),
    // Indexing.
    rankAtLeast(1, (v) => {
      const specs = randomSpecs(g, shapes[v]!, false);
      return { text: `%${v}.get(${fmtSpecs(specs)})`, apply: (xs) => xs[v]!.get(...specs) };
    }),
    rankAtLeast(1, (v) => {
      const specs = randomSpecs(g, shapes[v]!, true);
      const scale = g.float(-2, 2);
      return g.bool()
        ? {
            text: `%${v}.at(${fmtSpecs(specs)}).set(sin(region)*${scale.toFixed(3)})`,
            apply: (xs) => xs[v]!.at(...specs).set(C.mul(C.sin(xs[v]!.get(...specs)), scale)),
          }
        : {
            text: `%${v}.at(${fmtSpecs(specs)}).add(${scale.toFixed(3)})`,
            apply: (xs) => xs[v]!.at(...specs).add(scale),
          };
    }),
    rankAtLeast(1, (v) => {
      const s = shapes[v]!;
      const axis = g.int(0, s.length - 1);
      const idx = g.ints([g.int(1, 4)], s[axis]!);
      return {
        text: `indexSelect(%${v}, ${axis}, ${JSON.stringify(idx.toArray())})`,
        apply: (xs) => C.indexSelect(xs[v]!, axis, idx),
      };
    }),
    rankAtLeast(1, (v) => {
      const s = shapes[v]!;
      const axis = g.int(0, s.length - 1);
      const idxShape = s.map((d, i) => (i === axis ? g.int(1, 3) : g.int(1, d)));
      const idx = g.ints(idxShape, s[axis]!);
      return {
        text: `gather(%${v}, ${axis}, ${JSON.stringify(idx.toArray())})`,
        apply: (xs) => C.gather(xs[v]!, axis, idx),
      };
    }),
    rankAtLeast(1, (v) => {
      const s = shapes[v]!;
      const axis = g.int(0, s.length - 1);
      const idxShape = s.map((d, i) => (i === axis ? g.int(1, 3) : d));
      const [idx, from] = [g.ints(idxShape, s[axis]!), g.ints(idxShape, s[axis]!)];
      return {
        text: `scatterAdd(%${v}, ${axis}, ${JSON.stringify(idx.toArray())}, gather(%${v})/2)`,
        apply: (xs) => C.scatterAdd(xs[v]!, axis, idx, C.mul(C.gather(xs[v]!, axis, from), 0.5)),
      };
    }),
    // Reductions.
    rankAtLeast(1, (v) => {
      const r = shapes[v]!.length;
      const axes = g.shuffle([...Array(r).keys()]).slice(0, g.int(1, r));
      const keepdim = g.bool();
      const [op, f] = g.pick(Object.entries(MEANS));
      if (g.bool(0.2)) return { text: `%${v}.${op}()`, apply: (xs) => xs[v]![op as 'sum' | 'mean']() };
      const neg = axes.map((a) => (g.bool() ? a - r : a));
      return {
        text: `${op}(%${v}, ${fmtShape(neg)}, keepdim=${keepdim})`,
        apply: (xs) => f(xs[v]!, neg, { keepdim }),
      };
    }),
    // Products: with constants (1-D and 2-D and broadcast batch rules) and with itself (nonlinear).
    rankAtLeast(1, (v) => {
      const s = shapes[v]!;
      const k = s[s.length - 1]!;
      const batched = s.length <= 2 ? [[2, k, g.int(1, 3)]] : [];
      const wShape = g.pick([[k], [k, g.int(1, 3)], ...batched]);
      const W = g.constant(wShape, -0.6, 0.6);
      return { text: `matmul(%${v}, const${fmtShape(wShape)})`, apply: (xs) => C.matmul(xs[v]!, W) };
    }),
    rankAtLeast(1, (v) => {
      const s = shapes[v]!;
      const k = s.length === 1 ? s[0]! : s[s.length - 2]!;
      const wShape = g.pick([[k], [g.int(1, 3), k]]);
      if (wShape.length === 1 && s.length === 1) return null;
      const W = g.constant(wShape, -0.6, 0.6);
      return { text: `matmul(const${fmtShape(wShape)}, %${v})`, apply: (xs) => W.matmul(xs[v]!) };
    }),
    rankAtLeast(2, (v) => ({
      text: `matmul(%${v}, %${v}ᵀ)/4`,
      apply: (xs) => C.mul(C.matmul(xs[v]!, C.transpose(xs[v]!)), 0.25),
    })),
    (v, w) => {
      if (shapes[v]!.length !== 1 || shapes[w]!.length !== 1) return null;
      return g.bool()
        ? { text: `outer(%${v}, %${w})`, apply: (xs) => C.outer(xs[v]!, xs[w]!) }
        : shapes[v]![0] === shapes[w]![0]
          ? { text: `dot(%${v}, %${w})`, apply: (xs) => C.dot(xs[v]!, xs[w]!) }
          : null;
    },
  ];
  if (!smooth)
    list.push(
      unary('abs', C.abs),
      unary('relu', (x) => C.where(C.gt(x, 0), x, 0)),
      unary('clamp', (x) => C.clamp(x, -0.5, 0.5)),
      (v, w0) => {
        const w = partner(v, w0);
        const [op, f] = g.pick(Object.entries(EXTREMA));
        return { text: `${op}(%${v}, %${w})`, apply: (xs) => f(xs[v]!, xs[w]!) };
      },
      (v, w0) => {
        const w = partner(v, w0);
        return {
          text: `where(%${w} > 0, %${v}, %${w})`,
          apply: (xs) => C.where(xs[w]!.gt(0), xs[v]!, xs[w]!),
        };
      },
      rankAtLeast(1, (v) => {
        const r = shapes[v]!.length;
        const axis = g.int(-r, r - 1);
        const [op, f] = g.pick(Object.entries(EXTREMES));
        const keepdim = g.bool();
        return {
          text: `${op}(%${v}, ${axis}, keepdim=${keepdim})`,
          apply: (xs) => f(xs[v]!, axis, { keepdim }),
        };
      }),
    );
  return list;
}

function acceptable(t: Tensor, maxSize: number, maxMagnitude: number): boolean {
  if (t.size === 0 || t.size > maxSize || t.dtype !== 'float64') return false;
  return Array.from(t.toTypedArray()).every((v) => Number.isFinite(v) && Math.abs(v) <= maxMagnitude);
}

/** A random program for inputs shaped like `sample`, checked step by step on `sample`. */
export function randomProgram(seed: number, sample: Tensor, opts: ProgramOptions = {}): Program {
  const { steps = 5, smooth = false, maxSize = 48, maxMagnitude = 6, ops = 'all' } = opts;
  const g = new Gen(seed);
  const vals: Tensor[] = [sample];
  const chosen: Step[] = [];
  for (let k = 0; k < steps; k++) {
    const shapes = vals.map((t) => t.shape);
    for (let attempt = 0; attempt < 50; attempt++) {
      // Mostly extend the latest value; sometimes reuse an earlier one (fan-out).
      const v = g.bool(0.75) ? vals.length - 1 : g.int(0, vals.length - 1);
      const w = g.int(0, vals.length - 1);
      const pool = compositeCandidates(g, shapes, smooth);
      const step = g.pick(ops === 'composite' ? pool : [...candidates(g, shapes, smooth), ...pool])(v, w);
      if (!step) continue;
      const out = step.apply(vals);
      if (!acceptable(out, maxSize, maxMagnitude)) continue;
      vals.push(out);
      chosen.push(step);
      break;
    }
  }
  const text = chosen.map((s, i) => `%${i + 1} = ${s.text}`).join('\n');
  const run = (x: Tensor): Tensor => {
    const env: Tensor[] = [x];
    for (const s of chosen) env.push(s.apply(env));
    return env[env.length - 1]!;
  };
  return { inShape: sample.shape, outShape: vals[vals.length - 1]!.shape, text, run };
}

/** A random shape of rank lo..hi with dims 1..maxDim. */
export function shapeFrom(seed: number, lo: number, hi: number, maxDim = 3): number[] {
  const g = new Gen(seed);
  return Array.from({ length: g.int(lo, hi) }, () => g.int(1, maxDim));
}

/** Seeded uniform values in [lo, hi]. */
export const sampleInput = (shape: readonly number[], seed: number, lo = -1.5, hi = 1.5): Tensor =>
  C.rand(shape, { seed, low: lo, high: hi });
