/** --backend: which engine runs the computation. */

export const BACKEND_CHOICES = ['auto', 'eager'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/**
 * The backend a choice runs on, as reported in the JSON line. `eager` is the float64/float32 CPU reference
 * path; `auto` picks the fastest available, which today is that same path (core has only the CPU backend).
 */
export function resolveBackend(_choice: BackendChoice): 'cpu' {
  return 'cpu';
}
