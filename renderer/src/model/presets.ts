/** Case presets: the seed's cases and a few physically telling shapes. */
import type { Profile } from './profile';

export interface CaseDef {
  id: string;
  name: string;
  Tini: Profile;
  sigma: Profile;
}

export const SEED_TINI = '(1 + 0.1*sin(2*pi*x + sin(k))) * (1 + sin(k))';
export const SEED_SIGMA = '(1 + 0.1*sin(2*pi*x + sin(k + 1))) * (1 + sin(k))';

let counter = 0;
/** Ids only need to be unique within a session. */
export function newId(): string {
  counter += 1;
  return `c${Date.now().toString(36)}${counter.toString(36)}`;
}

export function seedCaseDef(k: number): CaseDef {
  return {
    id: newId(),
    name: `seed k=${k}`,
    Tini: { kind: 'formula', text: SEED_TINI, params: { k } },
    sigma: { kind: 'formula', text: SEED_SIGMA, params: { k } },
  };
}

export interface Preset {
  id: string;
  label: string;
  make(): CaseDef[];
}

export const PRESETS: Preset[] = [
  { id: 'seed', label: 'Seed cases (k = 1…4)', make: () => [1, 2, 3, 4].map(seedCaseDef) },
  {
    id: 'thick-slab',
    label: 'Optically thick slab',
    make: () => [
      {
        id: newId(),
        name: 'thick slab',
        Tini: { kind: 'formula', text: '1 + box(x, 0.15, 0.3)' },
        sigma: { kind: 'formula', text: '0.1 + 50 * box(x, 0.45, 0.55)' },
      },
    ],
  },
  {
    id: 'hot-spot',
    label: 'Gaussian hot spot',
    make: () => [
      {
        id: newId(),
        name: 'hot spot',
        Tini: { kind: 'formula', text: '1 + 2 * gauss(x, 0.5, 0.05)' },
        sigma: { kind: 'formula', text: '1' },
      },
    ],
  },
];

/** A sweep: one case per k in [from, to] (count values, inclusive), formulas in x and k. */
export interface Sweep {
  Tini: string;
  sigma: string;
  from: number;
  to: number;
  count: number;
}

export function sweepCases(s: Sweep): CaseDef[] {
  const n = Math.max(1, Math.floor(s.count));
  return Array.from({ length: n }, (_, i) => {
    const k = n === 1 ? s.from : s.from + ((s.to - s.from) * i) / (n - 1);
    const kk = Number(k.toPrecision(12));
    return {
      id: newId(),
      name: `k=${kk}`,
      Tini: { kind: 'formula', text: s.Tini, params: { k: kk } },
      sigma: { kind: 'formula', text: s.sigma, params: { k: kk } },
    };
  });
}
