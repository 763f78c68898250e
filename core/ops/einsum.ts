/**
 * torch.einsum with core's ops: diagonals by strided slices, labels summed as soon as no later operand needs
 * them, and each pair of operands contracted by one batched matmul (so derivatives, vmap, sparsity and jit
 * come from the ops it is made of). Labels are letters; '...' stands for broadcast dimensions.
 */

import { fmt } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { mul, unify } from './elementwise';
import { matmul } from './linalg';
import { sum } from './reduce';
import { expand, movedim, permute, reshape, sliceAxis } from './shape';

/** One operand: its tensor and one label per axis. */
interface Term {
  t: Tensor;
  labels: string[];
}

/** Private labels for the broadcast dimensions of '...', counted from the right. */
const ellipsisLabel = (k: number) => String.fromCharCode(0x2460 + k);

function parseTerm(spec: string, text: string, where: string): { letters: string[]; ellipsis: boolean } {
  const parts = text.split('...');
  if (parts.length > 2) throw new Error(`einsum: '${spec}': ${where} has more than one '...'`);
  for (const ch of parts.join(''))
    if (!/[a-zA-Z]/.test(ch))
      throw new Error(
        `einsum: '${spec}': '${ch}' in ${where} is not a letter (labels are a-z, A-Z, and '...')`,
      );
  return { letters: [...text.replace('...', '\u0000')], ellipsis: parts.length === 2 };
}

/** Labels of each operand (ellipsis expanded) and of the output. */
function parse(spec: string, operands: readonly Tensor[]): { ins: string[][]; out: string[] } {
  const clean = spec.replace(/\s+/g, '');
  const arrow = clean.split('->');
  if (arrow.length > 2) throw new Error(`einsum: '${spec}' has more than one '->'`);
  const inTexts = arrow[0]!.split(',');
  if (inTexts.length !== operands.length)
    throw new Error(`einsum: '${spec}' names ${inTexts.length} operand(s) but ${operands.length} were given`);
  let ellipsisRank = 0;
  const ins = inTexts.map((text, i) => {
    const { letters, ellipsis } = parseTerm(spec, text, `operand ${i}`);
    const named = letters.length - (ellipsis ? 1 : 0);
    const nd = operands[i]!.ndim;
    if (ellipsis ? named > nd : named !== nd)
      throw new Error(
        `einsum: '${spec}': operand ${i} has shape ${fmt(operands[i]!.shape)} but '${text}' labels ${named} axes${ellipsis ? ' and more' : ''}`,
      );
    const e = nd - named;
    ellipsisRank = Math.max(ellipsisRank, ellipsis ? e : 0);
    return letters.flatMap((l) =>
      l === '\u0000' ? Array.from({ length: e }, (_, k) => ellipsisLabel(e - 1 - k)) : [l],
    );
  });
  const broadcast = Array.from({ length: ellipsisRank }, (_, k) => ellipsisLabel(ellipsisRank - 1 - k));
  if (arrow.length === 2) {
    const { letters } = parseTerm(spec, arrow[1]!, 'the output');
    const out = letters.flatMap((l) => (l === '\u0000' ? broadcast : [l]));
    for (const l of out) {
      if (!ins.some((labels) => labels.includes(l)))
        throw new Error(`einsum: '${spec}': output label '${l}' does not appear in any operand`);
      if (out.indexOf(l) !== out.lastIndexOf(l))
        throw new Error(`einsum: '${spec}': output label '${l}' appears more than once`);
    }
    return { ins, out };
  }
  // implicit output: the broadcast dims, then the letters used once, in alphabetical order (as torch)
  const counts = new Map<string, number>();
  for (const l of ins.flat()) counts.set(l, (counts.get(l) ?? 0) + 1);
  const once = [...counts].filter(([l, c]) => c === 1 && /[a-zA-Z]/.test(l)).map(([l]) => l);
  return { ins, out: [...broadcast, ...once.sort()] };
}

/** Sizes per label: named labels must agree; broadcast ('...') labels may be 1 against any size. */
function labelSizes(spec: string, terms: readonly Term[]): Map<string, number> {
  const sizes = new Map<string, number>();
  terms.forEach(({ t, labels }, i) => {
    labels.forEach((l, ax) => {
      const n = t.shape[ax]!;
      const seen = sizes.get(l);
      if (seen === undefined || seen === 1) sizes.set(l, n);
      else if (n !== seen && !(n === 1 && !/[a-zA-Z]/.test(l)))
        throw new Error(
          `einsum: '${spec}': label '${/[a-zA-Z]/.test(l) ? l : '...'}' has size ${seen} elsewhere but ${n} in operand ${i} (shape ${fmt(t.shape)})`,
        );
    });
  });
  return sizes;
}

/** Replace each label repeated within one operand by its diagonal (axes i, j → one axis). */
function diagonals(term: Term): Term {
  let { t, labels } = term;
  for (;;) {
    const j = labels.findIndex((l, k) => labels.indexOf(l) !== k);
    if (j < 0) return { t, labels };
    const i = labels.indexOf(labels[j]!);
    const n = t.shape[i]!;
    if (t.shape[j] !== n)
      throw new Error(
        `einsum: label '${labels[i]}' is repeated in one operand over axes of sizes ${n} and ${t.shape[j]}`,
      );
    const moved = movedim(movedim(t, j, -1), i, -1); // [..., n, n]
    t = sliceAxis(reshape(moved, [...moved.shape.slice(0, -2), n * n]), -1, 0, undefined, n + 1);
    labels = [...labels.filter((_, k) => k !== i && k !== j), labels[i]!];
  }
}

/** Sum the axes whose labels are not in `keep`. */
function sumExcept(term: Term, keep: ReadonlySet<string>): Term {
  const axes = term.labels.flatMap((l, k) => (keep.has(l) ? [] : [k]));
  if (axes.length === 0) return term;
  return { t: sum(term.t, axes), labels: term.labels.filter((l) => keep.has(l)) };
}

/** Broadcast size-1 '...' axes of a term to the common size. */
function broadcastTerm(term: Term, sizes: ReadonlyMap<string, number>): Term {
  const target = term.labels.map((l) => sizes.get(l)!);
  return target.every((n, k) => n === term.t.shape[k])
    ? term
    : { t: expand(term.t, target), labels: term.labels };
}

/** Contract two terms over their shared labels that `later` does not need: one batched matmul. */
function contract(a: Term, b: Term, later: ReadonlySet<string>, sizes: ReadonlyMap<string, number>): Term {
  const inB = new Set(b.labels);
  const inA = new Set(a.labels);
  const batch = a.labels.filter((l) => inB.has(l) && later.has(l));
  const summed = a.labels.filter((l) => inB.has(l) && !later.has(l));
  const aOnly = a.labels.filter((l) => !inB.has(l));
  const bOnly = b.labels.filter((l) => !inA.has(l));
  const order = (term: Term, ls: readonly string[]) =>
    permute(
      term.t,
      ls.map((l) => term.labels.indexOf(l)),
    );
  if (aOnly.length === 0 && bOnly.length === 0) {
    // an inner product per batch entry: a product and a sum (a matmul of 1×k by k×1 would only add layout)
    const prodAB = mul(order(a, [...batch, ...summed]), order(b, [...batch, ...summed]));
    return sumExcept({ t: prodAB, labels: [...batch, ...summed] }, new Set(batch));
  }
  const size = (ls: readonly string[]) => ls.reduce((s, l) => s * sizes.get(l)!, 1);
  const A = reshape(order(a, [...batch, ...aOnly, ...summed]), [
    ...batch.map((l) => sizes.get(l)!),
    size(aOnly),
    size(summed),
  ]);
  const B = reshape(order(b, [...batch, ...summed, ...bOnly]), [
    ...batch.map((l) => sizes.get(l)!),
    size(summed),
    size(bOnly),
  ]);
  const labels = [...batch, ...aOnly, ...bOnly];
  return {
    t: reshape(
      matmul(A, B),
      labels.map((l) => sizes.get(l)!),
    ),
    labels,
  };
}

/** torch.einsum(spec, ...operands), e.g. einsum('ij,jk->ik', a, b), einsum('bii->b', x), einsum('...i,...i', u, v). */
export function einsum(spec: string, ...operands: Tensor[]): Tensor {
  if (operands.length === 0) throw new Error(`einsum: '${spec}' needs at least one operand`);
  const ts = unify(operands);
  const { ins, out } = parse(spec, ts);
  let terms: Term[] = ins.map((labels, i) => diagonals({ t: ts[i]!, labels }));
  const sizes = labelSizes(spec, terms);
  terms = terms.map((t) => broadcastTerm(t, sizes));
  const needed = (from: number) => new Set([...out, ...terms.slice(from).flatMap((t) => t.labels)]);
  let acc = sumExcept(terms[0]!, new Set([...out, ...terms.slice(1).flatMap((t) => t.labels)]));
  for (let k = 1; k < terms.length; k++) {
    const later = needed(k + 1);
    const next = sumExcept(terms[k]!, new Set([...later, ...acc.labels]));
    acc = contract(acc, next, later, sizes);
  }
  acc = sumExcept(acc, new Set(out));
  return permute(
    acc.t,
    out.map((l) => acc.labels.indexOf(l)),
  );
}
