/** The session file: versioned JSON holding everything needed to restore the workbench, validated on load. */
import { z } from 'zod';
import type { CaseDef } from './presets';

export const SESSION_FORMAT = 'rte-workbench-session';
export const SESSION_VERSION = 1;

const finite = z.number().finite();
const point = z.tuple([finite, finite]);

const profileSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('formula'),
    text: z.string().max(2000),
    params: z.record(z.string().regex(/^[a-zA-Z]\w*$/), finite).optional(),
  }),
  z.object({ kind: z.literal('drawn'), points: z.array(point).max(100_000) }),
  z.object({
    kind: z.literal('samples'),
    values: z.array(finite).min(1).max(1_000_000),
    source: z.string().max(500),
  }),
]);

const caseSchema = z.object({
  id: z.string().min(1).max(100),
  name: z.string().max(200),
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
  selectedCase: z.string().max(100).nullable(),
  dtype: z.enum(['float64', 'float32']),
  /** Live solver engine (sessions saved before it existed open with 'auto'). */
  backend: z.enum(['auto', 'webgpu', 'webgl2', 'wasm', 'webasm', 'cpu', 'eager']).default('auto'),
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
  savedAt: z.string(),
  grid: gridSchema,
  cases: z.array(caseSchema).min(1).max(256),
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

/** Parse session text; throws an Error that says what is wrong (first few problems, with their paths). */
export function parseSession(text: string): Session {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`not a session file: the JSON does not parse (${(e as Error).message})`);
  }
  if (
    raw &&
    typeof raw === 'object' &&
    'version' in raw &&
    (raw as { version: unknown }).version !== SESSION_VERSION
  )
    throw new Error(
      `session version ${String((raw as { version: unknown }).version)} is not supported (this build reads version ${SESSION_VERSION})`,
    );
  const res = sessionSchema.safeParse(raw);
  if (!res.success)
    throw new Error(
      `not a valid session file: ${res.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}`,
    );
  return res.data;
}
