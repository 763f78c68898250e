/**
 * The session file: versioned JSON holding everything needed to restore the workbench. One zod schema is used
 * both when a session is saved and when it is opened, so whatever the workbench writes it can read back.
 */
import { z } from 'zod';
import { SOLVER_BACKENDS } from '../worker/api';
import type { CaseDef } from './presets';

export const SESSION_FORMAT = 'rte-workbench-session';
export const SESSION_VERSION = 1;

/** Limits a session must stay within; the editors enforce the same ones as the user types. */
export const LIMITS = {
  caseName: 200,
  caseId: 100,
  cases: 256,
  formula: 2000,
  drawnPoints: 100_000,
  samples: 1_000_000,
} as const;

/**
 * Names that would reach Object.prototype when used as keys (`{}[key]`): a case id or parameter name such as
 * `__proto__` must never look one up.
 */
const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

const finite = z.number().finite();
const point = z.tuple([finite, finite]);

/** Formula parameters: names checked here rather than as record keys, so the message can say what is wrong. */
const params = z.record(z.string(), finite).superRefine((record, ctx) => {
  for (const name of Object.keys(record))
    if (!/^[a-zA-Z]\w*$/.test(name))
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: 'a parameter name is a letter, then letters, digits or _',
      });
    else if (PROTOTYPE_KEYS.has(name))
      ctx.addIssue({ code: 'custom', path: [name], message: 'this parameter name is reserved' });
});

const profileSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('formula'),
    text: z.string().max(LIMITS.formula),
    params: params.optional(),
  }),
  z.object({ kind: z.literal('drawn'), points: z.array(point).max(LIMITS.drawnPoints) }),
  z.object({
    kind: z.literal('samples'),
    values: z.array(finite).min(1).max(LIMITS.samples),
    source: z.string().max(500),
  }),
]);

const caseId = z
  .string()
  .min(1)
  .max(LIMITS.caseId)
  .regex(/^[\w-]+$/, 'a case id is letters, digits, _ and - only')
  .refine((s) => !PROTOTYPE_KEYS.has(s), 'this case id is reserved');

const caseSchema = z.object({
  id: caseId,
  name: z.string().max(LIMITS.caseName),
  Tini: profileSchema,
  sigma: profileSchema,
});

export const gridSchema = z.object({
  N: z.number().int(),
  Nvx: z.number().int(),
  CFL: finite,
  tEnd: finite,
  every: z.number().int(),
});

const objectiveSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sum-final-E') }),
  z.object({ kind: z.literal('probe-E'), x0: finite, record: z.number().int() }),
  z.object({ kind: z.literal('window-energy'), a: finite, b: finite, record: z.number().int() }),
  z.object({ kind: z.literal('mean-T'), record: z.number().int() }),
]);

export const viewSchema = z.object({
  record: z.number().int().min(0),
  selectedCase: z.string().max(LIMITS.caseId).nullable(),
  dtype: z.enum(['float64', 'float32']),
  /** Live solver engine (sessions saved before it existed open with 'auto'). */
  backend: z.enum(SOLVER_BACKENDS).default('auto'),
  derivN: z.number().int().min(3).max(400),
  objective: objectiveSchema,
  jac: z.object({
    output: z.enum(['E', 'T']),
    input: z.enum(['sigma', 'Tini']),
    record: z.number().int().min(0),
  }),
});

export const sessionSchema = z.object({
  format: z.literal(SESSION_FORMAT),
  version: z.literal(SESSION_VERSION),
  savedAt: z.string().max(100),
  grid: gridSchema,
  cases: z
    .array(caseSchema)
    .min(1)
    .max(LIMITS.cases)
    .refine((cs) => new Set(cs.map((c) => c.id)).size === cs.length, 'two cases have the same id'),
  view: viewSchema,
});

export type Session = z.infer<typeof sessionSchema>;
export type View = z.infer<typeof viewSchema>;

export function makeSession(grid: Session['grid'], cases: CaseDef[], view: View): Session {
  return {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    savedAt: new Date().toISOString(),
    grid,
    cases,
    view,
  };
}

/** The first few problems of a failed parse, each with where it is. */
function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** Checks a session against the same schema that opening it uses; throws with the problems and where. */
export function checkSession(session: Session): Session {
  const res = sessionSchema.safeParse(session);
  if (!res.success) throw new Error(`this session cannot be saved: ${describeIssues(res.error.issues)}`);
  return res.data;
}

/** Session text as the workbench writes it: validated first, so every file it writes opens again. */
export function serializeSession(session: Session): string {
  return `${JSON.stringify(checkSession(session), null, 2)}\n`;
}

/** Says what is wrong with a `version` field in the user's terms, or null when it is the one this build reads. */
function versionProblem(version: unknown): string | null {
  if (version === SESSION_VERSION) return null;
  if (typeof version === 'number')
    return version > SESSION_VERSION
      ? `this session was written by a newer RTE Workbench (session version ${version}); this one reads version ${SESSION_VERSION} — update the workbench to open it`
      : `session version ${version} is not one this workbench reads (it reads version ${SESSION_VERSION})`;
  return `the session's "version" must be the number ${SESSION_VERSION}, but it is ${
    typeof version === 'string' ? `the text ${JSON.stringify(version.slice(0, 40))}` : JSON.stringify(version)
  } — was the file edited by hand? Write "version": ${SESSION_VERSION} without quotes`;
}

/** Parse session text; throws an Error that says what is wrong (first few problems, with their paths). */
export function parseSession(text: string): Session {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`not a session file: the JSON does not parse (${(e as Error).message})`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new Error('not a session file: it holds no JSON object');
  if ((raw as { format?: unknown }).format !== SESSION_FORMAT)
    throw new Error(`not a session file: "format" must be "${SESSION_FORMAT}"`);
  const version = versionProblem((raw as { version?: unknown }).version);
  if (version) throw new Error(version);
  const res = sessionSchema.safeParse(raw);
  if (!res.success) throw new Error(`not a valid session file: ${describeIssues(res.error.issues)}`);
  return res.data;
}
