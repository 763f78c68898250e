/**
 * Flag parsing for every command: Node's util.parseArgs (strict) splits the command line, zod validates and
 * coerces each value, and the same table produces the --help text.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { z } from 'zod';
import { UsageError } from './errors';

export interface Flag<S extends z.ZodType = z.ZodType> {
  schema: S;
  help: string;
  /** Placeholder shown in --help; absent for boolean switches. */
  value?: string;
}

export type Flags = Record<string, Flag>;
export type FlagValues<F extends Flags> = { [K in keyof F]: z.output<F[K]['schema']> };

export const flag = <S extends z.ZodType>(value: string, help: string, schema: S): Flag<S> => ({
  value,
  help,
  schema,
});
export const toggle = (help: string): Flag<z.ZodDefault<z.ZodBoolean>> => ({
  help,
  schema: z.boolean().default(false),
});

/** An integer, also written with an exponent (1e7); beyond 2^53 it could not be held exactly. */
export const integer = z
  .string()
  .trim()
  .regex(/^[+-]?\d+(e\+?\d+)?$/i, 'must be an integer')
  .transform(Number)
  .refine(Number.isSafeInteger, 'must be an integer below 2^53 (9.007e15)');
export const finiteNumber = z
  .string()
  .trim()
  .refine((s) => s !== '' && Number.isFinite(Number(s)), 'must be a finite number')
  .transform(Number);
export const filePath = z.string().min(1, 'must be a non-empty path');

/** What --help says after a flag's description: required, or its default. */
function note(f: Flag): string {
  const absent = f.schema.safeParse(undefined);
  if (!absent.success) return ' (required)';
  return absent.data === undefined || absent.data === false ? '' : ` (default ${String(absent.data)})`;
}

/** The --help text of one command. */
export function helpText(
  command: string,
  summary: string,
  flags: Flags,
  notes: readonly string[] = [],
): string {
  const rows = Object.entries(flags).map(([name, f]) => {
    const left = `  --${name}${f.value ? ` ${f.value}` : ''}`;
    return `${left.padEnd(34)} ${f.help}${note(f)}`;
  });
  return [
    `usage: npm run --silent rte -- ${command} [flags]`,
    '',
    summary,
    '',
    'flags:',
    ...rows,
    '  --help',
    ...(notes.length ? ['', ...notes] : []),
  ].join('\n');
}

/** util.parseArgs in strict mode, its errors turned into one-line UsageErrors. */
function split(
  command: string,
  argv: string[],
  flags: Flags,
  options: ParseArgsConfig['options'],
): { values: Record<string, string | boolean | undefined>; tokens: { kind: string; name?: string }[] } {
  try {
    const { values, tokens } = parseArgs({ args: argv, options, strict: true, tokens: true });
    return { values, tokens };
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const name = /'([^']+)'/.exec((e as Error).message)?.[1] ?? '?';
      const allowed = Object.keys(flags).map((n) => `--${n}`);
      throw new UsageError(`${command}: unknown flag ${name} (allowed: ${allowed.join(' ')})`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const name = /'--([^' ]+)/.exec((e as Error).message)?.[1] ?? '?';
      const f = flags[name];
      if (f?.value)
        throw new UsageError(
          `${command}: flag --${name} needs a value (${f.value}); write a negative number as --${name}=-1`,
        );
      throw new UsageError(`${command}: flag --${name} is a switch and takes no value`);
    }
    if (code.startsWith('ERR_PARSE_ARGS')) throw new UsageError(`${command}: ${(e as Error).message}`);
    throw e;
  }
}

/** Parse argv against `flags`; returns 'help' when --help is asked for. Throws UsageError naming the flag. */
export function parseFlags<F extends Flags>(
  command: string,
  argv: string[],
  flags: F,
): FlagValues<F> | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const options = Object.fromEntries(
    Object.entries(flags).map(([name, f]) => [name, { type: f.value ? 'string' : 'boolean' }] as const),
  );
  const parsed = split(command, argv, flags, options);
  const seen = new Set<string>();
  for (const t of parsed.tokens) {
    if (t.kind !== 'option' || !t.name) continue;
    if (seen.has(t.name)) throw new UsageError(`${command}: flag --${t.name} is given more than once`);
    seen.add(t.name);
  }
  const values: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(flags)) {
    const raw = parsed.values[name];
    const result = f.schema.safeParse(raw);
    if (result.success) {
      values[name] = result.data;
      continue;
    }
    if (raw === undefined) throw new UsageError(`${command}: missing flag --${name} (${f.help})`);
    const problem = result.error.issues[0]?.message ?? 'is invalid';
    throw new UsageError(`${command}: --${name} ${problem} (got '${String(raw)}')`);
  }
  return values as FlagValues<F>;
}

/** One of a fixed list of words, with a message that lists them. */
export const oneOf = <const V extends readonly [string, ...string[]]>(values: V) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });
