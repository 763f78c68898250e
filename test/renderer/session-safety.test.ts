/** Sessions under hostile input: reserved keys, what is saved opens again, messages in the user's terms. */
import { describe, expect, it } from 'vitest';
import { BUDGET, checkSamplingBudget, checkSolveBudget } from '../../renderer/src/model/budget';
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
  it('refuses N = 10^7 before sampling, naming the sizes and the limit', () => {
    expect(checkSamplingBudget(1e7, 4)).toMatch(
      /1\.0e7 cells × 4 case\(s\) = 4\.0e7 samples .*at most 500,000/,
    );
    expect(checkSamplingBudget(400, 4)).toBeNull();
  });

  it('lets the seed grid through and refuses long or large solves with what to change', () => {
    expect(checkSolveBudget({ N: 400, Nvx: 8, Nt: 500, R: 50, B: 4 })).toBeNull();
    expect(checkSolveBudget({ N: 400, Nvx: 8, Nt: 500, R: 50, B: 4, eager: true })).toBeNull();
    expect(checkSolveBudget({ N: 20_000, Nvx: 8, Nt: 25_000, R: 2500, B: 4 })).toMatch(
      /20,000 cells × 25,000 steps × 8 ordinates × 4 case\(s\) = 1\.6e10 updates .*at most 2\.0e9.*lower N or t_end/,
    );
    expect(checkSolveBudget({ N: 4000, Nvx: 8, Nt: 5000, R: 50, B: 4, eager: true })).toMatch(/eager path/);
    const memory = checkSolveBudget({ N: 100_000, Nvx: 2, Nt: 1000, R: 1000, B: 4 });
    expect(memory).toMatch(
      /need 12231 MiB, more than the workbench holds \(at most 512 MiB\): raise "every"/,
    );
    expect(BUDGET.workingBytes).toBe(512 * 1024 ** 2);
  });
});
