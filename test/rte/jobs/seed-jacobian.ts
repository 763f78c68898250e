/**
 * One 400×400 seed Jacobian, run in its own process so a minutes-long synchronous computation does not starve
 * the test runner's worker. Prints one JSON line: {name, relErr, seconds}.
 */
import { jacfwd, jacrev } from '../../../core/index';
import { finalE } from '../../../core/rte/objectives';
import { loadReference, relErr } from '../../helpers/reference';
import { SEED, seedInputs } from '../setup';

const JOBS = {
  'jacfwd-sigma': () => jacfwd(finalE(SEED), { argnums: 1 }),
  'jacrev-sigma': () => jacrev(finalE(SEED), { argnums: 1, chunkSize: 100 }),
  'jacfwd-Tini': () => jacfwd(finalE(SEED), { argnums: 0 }),
};
const REFERENCE: Record<keyof typeof JOBS, string> = {
  'jacfwd-sigma': 'jac_Efinal_dsigma_f64',
  'jacrev-sigma': 'jac_Efinal_dsigma_f64',
  'jacfwd-Tini': 'jac_Efinal_dTini_f64',
};

const name = process.argv[2] as keyof typeof JOBS;
if (!(name in JOBS)) throw new Error(`unknown job ${name}; one of ${Object.keys(JOBS).join(', ')}`);
const { Tini, sigma } = seedInputs('f64');
const t0 = performance.now();
const jac = JOBS[name]()(Tini.get(0), sigma.get(0));
const seconds = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify({ name, shape: jac.shape, relErr: relErr(jac, loadReference(REFERENCE[name])), seconds }),
);
