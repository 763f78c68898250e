/** Pytrees: nested arrays and plain objects whose leaves are tensors; anything else is kept as static data. */
import { Tensor } from '../tensor/tensor';

/** The structure of a pytree: leaves (tensors), arrays, plain objects and static values. */
export type TreeDef =
  | { readonly kind: 'leaf' }
  | { readonly kind: 'array'; readonly children: readonly TreeDef[] }
  | { readonly kind: 'object'; readonly keys: readonly string[]; readonly children: readonly TreeDef[] }
  | { readonly kind: 'static'; readonly value: unknown };

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;

/** The tensor leaves of a pytree (nested arrays and plain objects) and its structure. */
export function flatten(tree: unknown): [Tensor[], TreeDef] {
  const leaves: Tensor[] = [];
  const walk = (t: unknown): TreeDef => {
    if (t instanceof Tensor) {
      leaves.push(t);
      return { kind: 'leaf' };
    }
    if (Array.isArray(t)) return { kind: 'array', children: t.map(walk) };
    if (isPlainObject(t)) {
      const keys = Object.keys(t);
      return { kind: 'object', keys, children: keys.map((k) => walk(t[k])) };
    }
    return { kind: 'static', value: t };
  };
  const def = walk(tree);
  return [leaves, def];
}

/** A pytree of structure `def` with the given leaves. */
export function unflatten(def: TreeDef, leaves: readonly unknown[]): any {
  let i = 0;
  const build = (d: TreeDef): unknown => {
    switch (d.kind) {
      case 'leaf':
        return leaves[i++];
      case 'array':
        return d.children.map(build);
      case 'object':
        return Object.fromEntries(d.keys.map((k, j) => [k, build(d.children[j]!)]));
      case 'static':
        return d.value;
    }
  };
  const out = build(def);
  if (i !== leaves.length) throw new Error(`unflatten: ${leaves.length} leaves given for a tree of ${i}`);
  return out;
}

export const leafCount = (def: TreeDef): number =>
  def.kind === 'leaf' ? 1 : def.kind === 'static' ? 0 : def.children.reduce((s, c) => s + leafCount(c), 0);

export function treeEqual(a: TreeDef, b: TreeDef): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'leaf') return true;
  if (a.kind === 'static') return b.kind === 'static' && Object.is(a.value, b.value);
  const bc = (b as { children: readonly TreeDef[] }).children;
  if (a.kind === 'object' && (b.kind !== 'object' || a.keys.join('\u0000') !== b.keys.join('\u0000')))
    return false;
  return a.children.length === bc.length && a.children.every((c, i) => treeEqual(c, bc[i]!));
}

export function describe(def: TreeDef): string {
  switch (def.kind) {
    case 'leaf':
      return 'T';
    case 'static':
      return typeof def.value;
    case 'array':
      return `[${def.children.map(describe).join(', ')}]`;
    case 'object':
      return `{${def.keys.map((k, i) => `${k}: ${describe(def.children[i]!)}`).join(', ')}}`;
  }
}

/**
 * Spread a prefix tree over a full tree: a non-container value in `prefix` applies to every leaf below it
 * (how vmap's inDims={0} covers a whole argument). Returns one value per leaf of `def`.
 */
export function broadcastPrefix<V>(
  prefix: unknown,
  def: TreeDef,
  what: string,
  isValue: (x: unknown) => x is V,
): V[] {
  const out: V[] = [];
  const walk = (p: unknown, d: TreeDef): void => {
    if (isValue(p)) {
      for (let i = 0; i < leafCount(d); i++) out.push(p);
      return;
    }
    if (d.kind === 'array' && Array.isArray(p) && p.length === d.children.length) {
      d.children.forEach((c, i) => {
        walk(p[i], c);
      });
      return;
    }
    if (d.kind === 'object' && isPlainObject(p)) {
      d.keys.forEach((k, i) => {
        walk(p[k], d.children[i]!);
      });
      return;
    }
    throw new Error(`${what}: ${JSON.stringify(p)} does not fit the argument structure ${describe(d)}`);
  };
  walk(prefix, def);
  return out;
}
