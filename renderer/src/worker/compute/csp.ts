/**
 * What the page's Content-Security-Policy allows in this worker. gpu.js's JavaScript (`cpu`) target builds its
 * kernels with `new Function`, which a policy without 'unsafe-eval' (ours: the page and the desktop shell)
 * forbids; the WebAssembly and GPU targets do not need it.
 */

export const EVAL_BLOCKED_NOTE =
  "gpu.js's JavaScript target needs eval, which this page's Content-Security-Policy forbids";

let cached: boolean | null = null;

/** True where `new Function` may build code here; probed once (an empty body, so nothing is run). */
export function evalAllowed(): boolean {
  if (cached === null) {
    try {
      new Function('');
      cached = true;
    } catch {
      cached = false;
    }
  }
  return cached;
}

/** For tests: probe again. */
export function resetEvalProbe(): void {
  cached = null;
}
