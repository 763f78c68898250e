/** The workbench state and its reducer: grid, cases and view settings; everything a session file restores. */
import { type CaseDef, newId, PRESETS } from '../model/presets';
import type { Field, Profile } from '../model/profile';
import { LIMITS, type Session, type View } from '../model/session';
import type { GridSpec } from '../worker/api';

export interface AppState {
  grid: GridSpec;
  cases: CaseDef[];
  view: View;
  /** performance.now() of the last edit that changes the solution: edit-to-picture is measured from here. */
  editAt: number;
}

export const SEED_GRID: GridSpec = { N: 400, Nvx: 8, CFL: 0.8, tEnd: 1, every: 10 };

export const DEFAULT_VIEW: View = {
  record: 0,
  selectedCase: null,
  dtype: 'float64',
  backend: 'auto',
  derivN: 64,
  objective: { kind: 'sum-final-E' },
  jac: { output: 'E', input: 'sigma', record: 1 },
};

export function initialState(): AppState {
  const cases = PRESETS[0]!.make();
  return { grid: SEED_GRID, cases, view: { ...DEFAULT_VIEW, selectedCase: cases[0]!.id }, editAt: 0 };
}

export type Action =
  | { type: 'grid'; grid: GridSpec }
  | { type: 'replaceCases'; cases: CaseDef[] }
  | { type: 'appendCases'; cases: CaseDef[] }
  | { type: 'removeCase'; id: string }
  | { type: 'duplicateCase'; id: string }
  | { type: 'renameCase'; id: string; name: string }
  | { type: 'setProfile'; id: string; field: Field; profile: Profile }
  | { type: 'view'; view: Partial<View> }
  | { type: 'load'; session: Session };

const stamp = () => performance.now();

export function reducer(s: AppState, a: Action): AppState {
  switch (a.type) {
    case 'grid':
      return { ...s, grid: a.grid, editAt: stamp() };
    case 'replaceCases': {
      const cases = a.cases.slice(0, LIMITS.cases);
      return cases.length
        ? { ...s, cases, view: { ...s.view, selectedCase: cases[0]!.id }, editAt: stamp() }
        : s;
    }
    case 'appendCases': {
      // a session holds at most LIMITS.cases cases: what cannot be saved is not added
      const room = LIMITS.cases - s.cases.length;
      if (room <= 0) return s;
      const added = a.cases.slice(0, room);
      return {
        ...s,
        cases: [...s.cases, ...added],
        view: { ...s.view, selectedCase: added.at(-1)?.id ?? null },
        editAt: stamp(),
      };
    }
    case 'removeCase': {
      if (s.cases.length <= 1) return s; // a batch needs one case; the UI disables the button too
      const i = s.cases.findIndex((c) => c.id === a.id);
      const cases = s.cases.filter((c) => c.id !== a.id);
      const selected = s.view.selectedCase === a.id ? cases[Math.max(0, i - 1)]!.id : s.view.selectedCase;
      return { ...s, cases, view: { ...s.view, selectedCase: selected }, editAt: stamp() };
    }
    case 'duplicateCase': {
      const i = s.cases.findIndex((c) => c.id === a.id);
      if (i < 0) return s;
      const src = s.cases[i]!;
      if (s.cases.length >= LIMITS.cases) return s;
      const name = `${src.name} (copy)`.slice(0, LIMITS.caseName);
      const copy: CaseDef = { ...structuredClone(src), id: newId(), name };
      const cases = [...s.cases.slice(0, i + 1), copy, ...s.cases.slice(i + 1)];
      return { ...s, cases, view: { ...s.view, selectedCase: copy.id }, editAt: stamp() };
    }
    case 'renameCase':
      return {
        ...s,
        cases: s.cases.map((c) => (c.id === a.id ? { ...c, name: a.name.slice(0, LIMITS.caseName) } : c)),
      };
    case 'setProfile':
      return {
        ...s,
        cases: s.cases.map((c) => (c.id === a.id ? { ...c, [a.field]: a.profile } : c)),
        editAt: stamp(),
      };
    case 'view':
      return { ...s, view: { ...s.view, ...a.view } };
    case 'load':
      return { grid: a.session.grid, cases: a.session.cases, view: a.session.view, editAt: stamp() };
  }
}
