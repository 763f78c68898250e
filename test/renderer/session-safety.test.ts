/** Sessions under hostile input: reserved keys, what is saved opens again, messages in the user's terms. */
import { describe, expect, it } from 'vitest';
import { checkRteJob, estimateRteWork, formatBytes, RTE_BUDGET, RteBudgetError } from '../../core/rte/index';
import {
  checkLiveSolve,
  checkSamplingBudget,
  LIVE_BUDGET,
  liveBudget,
  liveSolveProblem,
} from '../../renderer/src/model/budget';
import { panelFailure, userMessage } from '../../renderer/src/model/messages';
import { seedCaseDef } from '../../renderer/src/model/presets';
import { LIMITS, makeSession, parseSession, serializeSession } from '../../renderer/src/model/session';
import { initialState, reducer } from '../../renderer/src/state/store';

const grid = { N: 400, Nvx: 8, CFL: 0.8, tEnd: 1, every: 10 };
const session = () => {
  const s = initialState();
  return makeSession(grid, s.cases, s.view);
};
/** A session file as text, with one edit applied to its JSON. */
const edited = (edit: (raw: any) => void) => {
  const raw = JSON.parse(serializeSession(session()));
  edit(raw);
  return JSON.stringify(raw);
};

describe('session keys', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'refuses the case id %j, naming where it is',
    (id) => {
      // JSON.parse makes "__proto__" an own key, as a file would
      const text = serializeSession(session()).replace(/"id": "[^"]+"/, `"id": ${JSON.stringify(id)}`);
      expect(() => parseSession(text)).toThrow(/cases\.0\.id: this case id is reserved/);
    },
  );

  it('refuses ids with other characters, duplicate ids and reserved parameter names', () => {
    expect(() => parseSession(edited((r) => (r.cases[0].id = 'a b')))).toThrow(/cases\.0\.id: a case id is/);
    expect(() => parseSession(edited((r) => (r.cases[1].id = r.cases[0].id)))).toThrow(
      /cases: two cases have the same id/,
    );
    const text = edited((r) => {
      r.cases[0].Tini.params = JSON.parse('{"constructor": 1}');
    });
    expect(() => parseSession(text)).toThrow(/cases\.0\.Tini\.params\.constructor.*reserved/);
  });
});

describe('what is saved opens again', () => {
  it('a rename longer than the limit is cut to it, and that session saves and reopens', () => {
    let s = initialState();
    const id = s.cases[0]!.id;
    s = reducer(s, { type: 'renameCase', id, name: 'n'.repeat(5000) });
    expect(s.cases[0]!.name).toHaveLength(LIMITS.caseName);
    s = reducer(s, { type: 'duplicateCase', id });
    const text = serializeSession(makeSession(s.grid, s.cases, s.view));
    expect(parseSession(text).cases.map((c) => c.name.length)).toEqual([200, 200, 8, 8, 8]);
  });

  it('saving checks with the schema opening uses, naming the problem', () => {
    const s = session();
    s.cases[0]!.name = 'n'.repeat(201);
    expect(() => serializeSession(s)).toThrow(/cannot be saved: cases\.0\.name/);
  });

  it('the batch never grows past what a session holds', () => {
    let s = initialState();
    for (let i = 0; i < 70; i++)
      s = reducer(s, { type: 'appendCases', cases: [1, 2, 3, 4].map(seedCaseDef) });
    expect(s.cases).toHaveLength(LIMITS.cases);
    s = reducer(s, { type: 'duplicateCase', id: s.cases[0]!.id });
    expect(s.cases).toHaveLength(LIMITS.cases);
    expect(() => serializeSession(makeSession(s.grid, s.cases, s.view))).not.toThrow();
  });
});

describe('messages in the user’s terms', () => {
  it('says what is wrong with a version written as text, or from a newer build', () => {
    expect(() => parseSession(edited((r) => (r.version = '1')))).toThrow(
      /"version" must be the number 1, but it is the text "1".*without quotes/,
    );
    expect(() => parseSession(edited((r) => (r.version = 2)))).toThrow(/written by a newer RTE Workbench/);
    expect(() => parseSession('[]')).toThrow(/holds no JSON object/);
    expect(() => parseSession('{"format": "other"}')).toThrow(/"format" must be "rte-workbench-session"/);
  });

  it.each([
    [new RangeError('Array buffer allocation failed'), /too large for the memory/],
    [new RangeError('Invalid typed array length: -8'), /too large for the memory/],
    // errors from the worker arrive as plain Errors that keep their name
    [Object.assign(new Error('Invalid typed array length: 1e20'), { name: 'RangeError' }), /too large/],
    [new RangeError('Maximum call stack size exceeded'), /nested too deeply/],
    [new TypeError("Cannot read properties of undefined (reading 'x')"), /inside the workbench \(TypeError/],
    [
      new Error("Error invoking remote method 'rte:open-file': IpcError: big.json is larger than 512 MiB"),
      /^big\.json is larger than 512 MiB$/,
    ],
  ])('maps %s', (e, want) => {
    const text = userMessage(e);
    expect(text).toMatch(want);
    expect(text).not.toMatch(/Array buffer allocation|typed array length/);
  });

  it('a panel that fails says which, in user terms, and that the session is kept', () => {
    expect(panelFailure('results', new RangeError('Invalid typed array length: -8'))).toBe(
      'The results panel failed: the problem is too large for the memory this page may use: lower N, t_end or the number of cases, raise "every", or run it with the CLI. Your session is kept (it is autosaved and can be saved to a file).',
    );
  });

  it('keeps the workbench’s own messages as they are', () => {
    expect(userMessage(new Error('case 2: sigma is not finite at cell 3'))).toBe(
      'case 2: sigma is not finite at cell 3',
    );
  });
});

describe('size budget', () => {
  const seed = { N: 400, Nvx: 8, CFL: 0.8, tEnd: 1, every: 10 };

  it('refuses N = 10^7 before sampling, naming the sizes and the limit', () => {
    expect(checkSamplingBudget(1e7, 4)).toMatch(
      /1\.0e7 cells × 4 case\(s\) = 4\.0e7 samples .*at most 500,000/,
    );
    expect(checkSamplingBudget(400, 4)).toBeNull();
    expect(liveSolveProblem({ ...seed, N: 1e7 }, 4, { eager: false })).toMatch(/4\.0e7 samples per field/);
  });

  it('lets the seed grid through and refuses long or large solves with their sizes and what to change', () => {
    expect(liveSolveProblem(seed, 4, { eager: false })).toBeNull();
    expect(liveSolveProblem(seed, 4, { eager: true })).toBeNull();
    // two records: only the work is over
    const long = { ...seed, N: 20_000, every: 12_500 };
    expect(liveSolveProblem(long, 4, { eager: false })).toMatch(
      /^this run is too long: 4 case\(s\) × 20000 cells × 8 ordinates, 12501 steps, 2 records: .*8\.00e9 cell updates, over the work budget of 2\.00e9 \(use fewer cells, ordinates, cases or steps, or run it with the CLI, .*1\.00e12 and more with --max-work\)$/,
    );
    // the eager path's smaller work limit, and the way out of it
    const eager = { ...seed, N: 4000, every: 1000 };
    expect(liveSolveProblem(eager, 4, { eager: false })).toBeNull();
    expect(liveSolveProblem(eager, 4, { eager: true })).toMatch(
      /5\.12e8 cell updates, over the work budget of 5\.00e7 \(.*choose a compiled solver or run it with the CLI/,
    );
    const memory = liveSolveProblem({ ...seed, N: 100_000, Nvx: 2, every: 1 }, 4, { eager: false });
    expect(memory).toMatch(
      /^this run is too large: .*124999 records: outputs 745 GiB, .*over the memory budget of 512 MiB \(.*a larger every.*4\.00 GiB and more with --max-memory\)$/,
    );
  });

  it('sizes with core: its estimate against the live limits, smaller than the CLI’s defaults', () => {
    // about 1 GiB by core's estimate for 4 cases: within the CLI's default budget, over the live memory limit
    const wide = { ...seed, N: 100_000, Nvx: 2, tEnd: 0.002, every: 5 };
    const job = { kind: 'solve', batch: 4, dtype: 'float64' } as const;
    const estimate = estimateRteWork(wide, job);
    expect(estimate.workingBytes).toBeGreaterThan(LIVE_BUDGET.maxBytes);
    expect(estimate.cellUpdates).toBeLessThan(LIVE_BUDGET.compiledCellUpdates);
    expect(() => checkRteJob(wide, job)).not.toThrow();
    expect(() => checkLiveSolve(wide, 4, { eager: false })).toThrow(
      new RegExp(
        `working memory about ${formatBytes(estimate.workingBytes)}, over the memory budget of 512 MiB`,
      ),
    );
    // one case fits, and the estimate returned is core's
    expect(checkLiveSolve(wide, 1, { eager: false })).toEqual(estimateRteWork(wide, { ...job, batch: 1 }));
    for (const eager of [false, true]) {
      const live = liveBudget(eager);
      expect(live.maxBytes).toBeLessThan(RTE_BUDGET.maxBytes);
      expect(live.maxCellUpdates).toBeLessThan(RTE_BUDGET.maxCellUpdates);
    }
    expect(() => checkLiveSolve({ ...seed, Nvx: 1e8 }, 1, { eager: false })).toThrow(RteBudgetError);
  });
});
