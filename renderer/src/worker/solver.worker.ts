/** The solver worker: core runs here, off the UI thread, behind the typed SolverApi. */
import * as Comlink from 'comlink';
import { installBrowserThreads } from '../../../core/jit/browser-threads';
import type { SolverApi } from './api';
import { gradient, jacobian, jvpField, thetaHessian } from './compute/derivatives';
import { solveCases, validate, workerInfo } from './compute/solve';
import { recordJacobian, sparsity } from './compute/sparsity';

// batches of 8 cases or more split across cores where the page is cross-origin isolated (one thread otherwise)
installBrowserThreads();

const api: SolverApi = {
  info: workerInfo,
  validate,
  solve: async (req, onProgress) => transferResult(await solveCases(req, onProgress), ['E', 'T']),
  grad: async (req) => transferResult(await gradient(req), ['dSigma', 'dTini']),
  jvp: async (req) => transferResult(await jvpField(req), ['dE', 'dT']),
  hessian: thetaHessian,
  jacobian: async (req, onProgress) => transferResult(await jacobian(req, onProgress), ['J']),
  sparsity: async (req, onProgress) => transferResult(await sparsity(req, onProgress), ['J']),
  recordJacobian: async (req) => transferResult(await recordJacobian(req), ['J']),
};

/** Hand large arrays over instead of copying them. */
function transferResult<T extends object>(result: T, keys: (keyof T)[]): T {
  return Comlink.transfer(
    result,
    keys.map((k) => (result[k] as Float64Array).buffer as ArrayBuffer),
  );
}

Comlink.expose(api);
