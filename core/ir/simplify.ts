/**
 * The simplifications a staged program goes through before it is lowered, as a list of named passes run in
 * order: each takes the jaxpr (and the values of its leading constant inputs) and returns a smaller one.
 */
import type { ConcreteTensor } from '../tensor/tensor';
import { cseJaxpr } from './cse';
import { dedupeScans } from './dedupe-scans';
import type { Jaxpr } from './jaxpr';
import { pruneJaxpr } from './prune';

/** One named pass. */
export interface Pass {
  readonly name: string;
  readonly run: (jaxpr: Jaxpr, consts: readonly ConcreteTensor[]) => Jaxpr;
}

export const SIMPLIFY_PASSES: readonly Pass[] = [
  { name: 'cse', run: cseJaxpr },
  // after CSE, so that scans reading one value read one variable
  { name: 'dedupe-scans', run: (j) => dedupeScans(j) },
  // merged scan outputs make their readers repeat
  { name: 'cse', run: cseJaxpr },
  { name: 'prune', run: (j) => pruneJaxpr(j) },
];

/** `staged` through every pass of `passes`. */
export const simplifyJaxpr = (
  staged: Jaxpr,
  consts: readonly ConcreteTensor[],
  passes: readonly Pass[] = SIMPLIFY_PASSES,
): Jaxpr => passes.reduce((j, p) => p.run(j, consts), staged);
