/**
 * Sample every case on the grid; a case that cannot be sampled stops the solve and says why. Sampling runs on
 * this thread, so a grid over the budget (from a session file, say) is refused before it starts.
 */
import { useMemo } from 'react';
import { checkSamplingBudget } from '../model/budget';
import { userMessage } from '../model/messages';
import type { CaseDef } from '../model/presets';
import { sampleProfile } from '../model/profile';
import type { CaseInputs } from '../worker/api';

export interface SampledCases {
  /** Every case's inputs, or null when any case (or the batch) cannot be sampled. */
  inputs: CaseInputs[] | null;
  /** Why a case cannot be sampled, by case id. */
  errors: Map<string, string>;
  /** Why the whole batch is refused (over the sampling budget), or null. */
  batchError: string | null;
}

export function useSampledCases(cases: CaseDef[], N: number): SampledCases {
  return useMemo(() => {
    const errors = new Map<string, string>();
    const over = checkSamplingBudget(N, cases.length);
    if (over) return { inputs: null, errors, batchError: over };
    const inputs: CaseInputs[] = [];
    for (const c of cases) {
      try {
        inputs.push({
          Tini: sampleProfile(c.Tini, N, 'Tini'),
          sigma: sampleProfile(c.sigma, N, 'sigma'),
        });
      } catch (e) {
        errors.set(c.id, userMessage(e));
      }
    }
    return { inputs: errors.size ? null : inputs, errors, batchError: null };
  }, [cases, N]);
}
