/**
 * The typed contract between the UI thread and the solver worker. Only plain data crosses it (typed arrays are
 * transferred, not copied), so the UI never touches core tensors.
 */
import { BACKEND_LABELS, JIT_BACKENDS, type JitBackend } from '../../../core/jit/backend-names';
import type { Objective } from '../../../core/rte/index';

export type DType = 'float64' | 'float32';

/** The problem grid as the user edits it (RteSpec of core/rte). */
export interface GridSpec {
  N: number;
  Nvx: number;
  CFL: number;
  tEnd: number;
  every: number;
}

/** What core derives from a valid grid. */
export interface GridInfo {
  dx: number;
  dt: number;
  Nt: number;
  R: number;
}

export type ValidateResult = { ok: true; grid: GridInfo } | { ok: false; message: string };

/** One case sampled on the grid: both arrays have length N. */
export interface CaseInputs {
  Tini: Float64Array;
  sigma: Float64Array;
}

/**
 * Which engine runs live solves: core's backend names and policy (core/jit/backend-policy.ts), the same as the
 * CLI's --backend. `eager` is core's uncompiled reference; every other backend compiles the whole solver with
 * jit; gpu.js's (`webgpu`, `webgl2`, `webasm`, and `cpu`, its plain-JavaScript target) compute in float32.
 */
export type SolverBackend = JitBackend;
export const SOLVER_BACKENDS = JIT_BACKENDS;
export { BACKEND_LABELS };
export interface SolveRequest {
  spec: GridSpec;
  cases: CaseInputs[];
  dtype: DType;
  /** Default 'eager'. */
  backend?: SolverBackend;
}

export interface SolveResult {
  /** The grid it was solved on. */
  spec: GridSpec;
  B: number;
  R: number;
  N: number;
  /** E and T in [B, R, N] row-major order. */
  E: Float64Array;
  T: Float64Array;
  grid: GridInfo;
  /** Wall time of the solve inside the worker (compilation included, the first time a grid is seen). */
  ms: number;
  /** What actually ran: 'eager (reference)', 'wasm (core)', or the gpu.js backend jit used ('webgpu (gpu.js)', ...), as core's ranLabel names it. */
  backend: string;
  dtype: DType;
  /** Why a requested backend was not used (jit's fallback messages); empty when it ran as asked. */
  notes: string[];
}

export interface ProgressInfo {
  /** 0..1, or null when the job cannot tell how far along it is. */
  fraction: number | null;
  message: string;
}

export type ProgressCallback = (p: ProgressInfo) => void;

/** Scalar objectives of one case's solution (core/rte's, shared with the CLI). */

export type { Objective };

/** The gradient of one objective for every case at once (vmap of grad). */
export interface GradRequest {
  spec: GridSpec;
  cases: CaseInputs[];
  objective: Objective;
  dtype: DType;
}

export interface GradResult {
  B: number;
  N: number;
  /** The objective per case, length B. */
  value: Float64Array;
  /** ∂objective/∂sigma(x_i) and ∂objective/∂Tini(x_i), [B, N] row-major. */
  dSigma: Float64Array;
  dTini: Float64Array;
  ms: number;
  /** What computed it: 'wasm (core)' (compiled, in the request's dtype) or 'eager (reference)'. */
  backend: string;
  dtype: DType;
}

export interface JvpRequest {
  spec: GridSpec;
  inputs: CaseInputs;
  /** Perturbation direction; a missing part is zero. */
  direction: { sigma?: Float64Array; Tini?: Float64Array };
  dtype: DType;
}

export interface JvpResult {
  spec: GridSpec;
  grid: GridInfo;
  R: number;
  N: number;
  /** Tangents of E and T, [R, N] row-major. */
  dE: Float64Array;
  dT: Float64Array;
  ms: number;
  /** What computed it: 'wasm (core)' (compiled, in the request's dtype) or 'eager (reference)'. */
  backend: string;
  dtype: DType;
}

/**
 * The hessian w.r.t. θ = (amplitude θ0, phase θ1) of the family σ(x; θ) = σ(x) · s(x; θ) / s(x; θ*) around the
 * case's own σ, with s(x; θ) = θ0 · (1 + depth · sin(2πx + θ1)) the seed's family and θ* = `theta`: at θ* it is the
 * edited σ, and for the seed's σ it is the seed's family itself.
 */
export interface HessianRequest {
  spec: GridSpec;
  inputs: CaseInputs;
  theta: [number, number];
  depth: number;
  objective: Objective;
  dtype: DType;
}

export interface HessianResult {
  names: [string, string];
  value: number;
  grad: [number, number];
  /** 2×2 row-major. */
  hessian: [number, number, number, number];
  /** Its eigenvalues, ascending. */
  eigenvalues: [number, number];
  ms: number;
  /** What computed it: 'wasm (core)' (compiled, in the request's dtype) or 'eager (reference)'. */
  backend: string;
  dtype: DType;
}

export type JacOutput = 'E' | 'T';
export type JacInput = 'sigma' | 'Tini';

export interface JacobianRequest {
  spec: GridSpec;
  inputs: CaseInputs;
  output: JacOutput;
  input: JacInput;
  dtype: DType;
  /** Tangent columns per vmapped jvp: progress is reported after each chunk. */
  chunk?: number;
}

export interface JacobianResult {
  R: number;
  N: number;
  /** ∂out[r, i]/∂in[j] as [R, N, N] row-major. */
  J: Float64Array;
  ms: number;
}

/** Per-record structure of a Jacobian (periodic grid, so bandwidth is the circular distance). */
export interface PatternStats {
  nnz: number;
  /** max over nonzeros of the circular distance |i − j| (0 for diagonal, ⌊N/2⌋ for full). */
  bandwidth: number;
  /** Column colours a compressed (coloured) forward evaluation needs. */
  colours: number;
}

export interface SparsityResult extends JacobianResult {
  stats: PatternStats[];
  /** Where the pattern came from: the dense Jacobian's nonzeros until core's sparse module is wired in. */
  source: 'dense-nonzeros' | 'core-sparse';
  /** Time spent on the per-record structure (detection, colour counts); 0 when it was known for this grid. */
  structureMs: number;
}

export interface CompressedRequest extends JacobianRequest {
  record: number;
}

/** One record's Jacobian, evaluated compressed (one jvp per colour of core's detected pattern). */
export interface RecordJacobianResult {
  record: number;
  N: number;
  /** ∂out[record, i]/∂in[j], [N, N] row-major (zero outside the pattern). */
  J: Float64Array;
  nnz: number;
  /** Max circular distance |i − j| over the pattern. */
  bandwidth: number;
  /** Colours = jvps evaluated (instead of N). */
  colours: number;
  /** The compressed evaluation (compiled, compilation included the first time). */
  ms: number;
  /** Sparsity detection and colouring (once per grid, output, input and record; cached after). */
  detectMs: number;
  backend: string;
  dtype: DType;
}

/** What the worker exposes (every method is async over comlink). */
/** What the worker can run: for the About box. */
export interface WorkerInfo {
  dtypes: DType[];
  /** gpu.js backends jit can use in this worker (true = available; software GPUs are marked). */
  compiled: { name: string; available: boolean; note?: string }[];
  /** Solver backends that cannot run here (the solver select disables them), with why. */
  blocked: { backend: SolverBackend; reason: string }[];
}

export interface SolverApi {
  info(req?: undefined): Promise<WorkerInfo>;
  validate(spec: GridSpec): ValidateResult;
  solve(req: SolveRequest, onProgress?: ProgressCallback): Promise<SolveResult>;
  grad(req: GradRequest): Promise<GradResult>;
  jvp(req: JvpRequest): Promise<JvpResult>;
  hessian(req: HessianRequest): Promise<HessianResult>;
  jacobian(req: JacobianRequest, onProgress?: ProgressCallback): Promise<JacobianResult>;
  sparsity(req: JacobianRequest, onProgress?: ProgressCallback): Promise<SparsityResult>;
  recordJacobian(req: CompressedRequest): Promise<RecordJacobianResult>;
}
