/**
 * The sweep spec's JSON schema (zod): every object is strict, so an unknown field is named with the allowed
 * ones, and each value's rule is said in the message.
 */
import { z } from 'zod';

/** A strict object whose unknown-key message lists the allowed keys. */
const strict = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')} (allowed: ${Object.keys(shape).join(', ')})`
        : undefined,
  });

const int = (min: number, what: string) =>
  z
    .number({ error: `must be a number ${what}` })
    .int(`must be an integer ${what}`)
    .min(min, `must be ${what}`);
const positive = z.number({ error: 'must be a number > 0' }).positive('must be > 0');

export const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const paramName = z
  .string()
  .regex(PARAM_NAME, 'a parameter name must be an identifier (letters, digits, _)')
  .refine((n) => !['x', 'pi', 'e'].includes(n), 'x, pi and e are taken by the formula language');
const paramRecord = <V extends z.ZodType>(value: V) =>
  z
    .record(paramName, value)
    .refine((r) => Object.keys(r).length > 0, 'name at least one parameter: the space is empty');

const values = z.union(
  [
    z.array(z.number()).min(1, 'a list of values must not be empty'),
    strict({ linspace: z.tuple([z.number(), z.number(), int(1, '≥ 1')]) }),
  ],
  { error: 'must be a non-empty list of numbers or {"linspace": [from, to, count]}' },
);
const range = z
  .tuple([z.number(), z.number()], { error: 'must be [low, high]' })
  .refine(([lo, hi]) => lo <= hi, 'must be [low, high] with low ≤ high');
const sampled = strict({
  n: int(1, '≥ 1'),
  seed: z.number().int('must be an integer').default(0),
  ranges: paramRecord(range),
});

const space = strict({
  list: z.array(z.record(paramName, z.number())).min(1, 'the list of cases is empty').optional(),
  product: paramRecord(values).optional(),
  random: sampled.optional(),
  lhs: sampled.optional(),
}).refine((s) => Object.values(s).filter((v) => v !== undefined).length === 1, {
  error: 'give exactly one of list, product, random, lhs',
});

const field = z.union([z.string(), strict({ npy: z.string().min(1) })], {
  error: 'must be a formula (a string) or {"npy": "file.npy"} holding [N] values',
});

const computeItem = z.union(
  [
    z.literal('solve'),
    strict({
      grad: strict({
        objective: z.literal('sum-final-E', { error: 'must be "sum-final-E"' }).default('sum-final-E'),
        wrt: z.enum(['sigma', 'Tini'], { error: 'must be "sigma" or "Tini"' }),
      }),
    }),
    strict({
      jvp: strict({
        wrt: z.enum(['sigma', 'Tini'], { error: 'must be "sigma" or "Tini"' }),
        /** The tangent: a formula in x and the parameters. */
        direction: z.string({ error: 'must be a formula (a string) in x and the parameters' }),
      }),
    }),
    strict({
      jacobian: strict({
        output: z.enum(['E', 'T'], { error: 'must be "E" or "T"' }).default('E'),
        record: z
          .union([z.literal('final'), z.number().int().min(0)], {
            error: 'must be "final" or a record index 0, 1, ...',
          })
          .default('final'),
        wrt: z.enum(['sigma', 'Tini'], { error: 'must be "sigma" or "Tini"' }),
        /** dense: [case, x_out, x_in]; sparse: the detected pattern's values per case (COO, pattern shared). */
        layout: z.enum(['dense', 'sparse'], { error: 'must be "dense" or "sparse"' }).default('dense'),
      }),
    }),
  ],
  {
    error:
      'each item must be "solve", {"grad": {"wrt": "sigma"|"Tini"}}, {"jvp": {"wrt": "sigma"|"Tini", "direction": FORMULA}} or {"jacobian": {"wrt": "sigma"|"Tini", "output": "E"|"T", "record": "final"|R, "layout": "dense"|"sparse"}}',
  },
);

export const SWEEP_SPEC = strict({
  grid: strict({
    N: int(3, '≥ 3'),
    Nvx: int(2, '≥ 2 and even').refine((v) => v % 2 === 0, 'must be even (half the ordinates go each way)'),
    CFL: positive,
    t_end: positive,
    every: int(1, '≥ 1'),
  }),
  Tini: field,
  sigma: field,
  space,
  compute: z.array(computeItem).min(1, 'name at least one thing to compute').default(['solve']),
  dtype: z.enum(['float64', 'float32'], { error: 'must be "float64" or "float32"' }).default('float64'),
  backend: z.enum(['wasm', 'eager'], { error: 'must be "wasm" or "eager"' }).default('wasm'),
  /** Cases per shard (one chunk along the case axis, one task); default from the shard-size rule. */
  shard_size: int(1, '≥ 1').optional(),
});

export type SweepSpecJson = z.output<typeof SWEEP_SPEC>;
export type Field = SweepSpecJson['Tini'];
export type Space = SweepSpecJson['space'];
export type ComputeItem = SweepSpecJson['compute'][number];

export type JacobianItem = Extract<ComputeItem, { jacobian: unknown }>['jacobian'];

/** The stem of a Jacobian's arrays, with its record resolved (R records): jac_E_r4_sigma. */
export const jacobianStem = (j: JacobianItem, R: number) =>
  `jac_${j.output}_r${j.record === 'final' ? R - 1 : j.record}_${j.wrt}`;

/**
 * The per-case store arrays one compute item writes (R: records of the grid). A sparse Jacobian also writes
 * its shared pattern, `<stem>_rows` and `<stem>_cols`, once when the store is made.
 */
export function arrayNamesOf(item: ComputeItem, R: number): string[] {
  if (item === 'solve') return ['E', 'T'];
  if ('grad' in item) return [`grad_${item.grad.wrt}`];
  if ('jacobian' in item) {
    const stem = jacobianStem(item.jacobian, R);
    return [item.jacobian.layout === 'dense' ? stem : `${stem}_vals`];
  }
  return [`jvp_${item.jvp.wrt}_E`, `jvp_${item.jvp.wrt}_T`];
}
