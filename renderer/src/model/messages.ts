/**
 * Errors as the user sees them: what the workbench's own code throws already says what is wrong, but errors
 * from the JavaScript engine ("Array buffer allocation failed", "Invalid typed array length: -8") or from the
 * desktop shell's IPC layer do not, so they are mapped to what they mean for the user.
 */

const TOO_BIG =
  'the problem is too large for the memory this page may use: lower N, t_end or the number of cases, raise "every", or run it with the CLI';

/** Engine messages that mean the same thing whatever threw them. */
const KNOWN: [RegExp, string][] = [
  [/array buffer allocation failed|out of memory|allocation failed|cannot allocate/i, TOO_BIG],
  [/invalid (typed )?array (buffer )?length|invalid string length|array buffer length/i, TOO_BIG],
  [
    /maximum call stack size exceeded|too much recursion/i,
    'the input is nested too deeply to process (for example a formula with very many nested brackets or signs)',
  ],
];

/** Names of errors the engine throws (errors from the worker arrive as plain Errors with this name kept). */
const ENGINE_ERRORS =
  /^(RangeError|TypeError|ReferenceError|InternalError|EvalError|CompileError|LinkError|RuntimeError)$/;

/** What a panel that failed while rendering shows in its place (the rest of the workbench keeps working). */
export function panelFailure(panel: string, e: unknown): string {
  return `The ${panel} panel failed: ${userMessage(e)}. Your session is kept (it is autosaved and can be saved to a file).`;
}

/** The text of any thrown value, in the user's terms. */
export function userMessage(e: unknown): string {
  const raw = e instanceof Error ? e.message : typeof e === 'string' ? e : String(e);
  // Electron wraps errors from the main process: "Error invoking remote method 'rte:open-file': IpcError: …"
  const text = raw.replace(/^Error invoking remote method '[^']*': (\w*Error: )?/, '');
  for (const [pattern, message] of KNOWN) if (pattern.test(text)) return message;
  const name = e instanceof Error ? e.name : '';
  if (name === 'CompileError' || name === 'LinkError' || name === 'RuntimeError')
    return `the compiled solver failed in this browser (${text}); choose "eager reference" as the solver`;
  if (ENGINE_ERRORS.test(name))
    return `something went wrong inside the workbench (${name}: ${text}); your session is kept — please report it`;
  return text;
}
