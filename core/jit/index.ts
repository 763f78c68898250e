/**
 * Compilation of core functions to gpu.js: jit, kernel fusion, scans lowered to device pipelines.
 * In Node, `installNodeWebGpu()` from './node-webgpu' (an adapter, imported explicitly) adds WebGPU via Dawn;
 * `installNodeThreads()` ('./node-threads') and `installBrowserThreads()` ('./browser-threads') give core's
 * wasm target worker threads for batches; `installNodeCrossoverStore()` ('./node-crossover') keeps 'auto''s
 * GPU / wasm measurements in a file.
 */
export {
  BACKEND_LABELS,
  GPUJS_BACKENDS,
  type GpuJsBackend,
  isFloat32Only,
  JIT_BACKENDS,
  ranLabel,
} from './backend-names';
export { type BackendPlan, computeDtype, planBackend } from './backend-policy';
export { type CrossoverStore, installCrossoverStore } from './crossover';
export { type AvailableModes, availableModes, type ExecutorReport } from './gpujs';
export {
  type JitBackend,
  JitBackendError,
  type JitOptions,
  type JitRunInfo,
  type Jitted,
  jit,
  printProgram,
  type RanBackend,
  type Staged,
} from './jit';
export { JitUnsupported } from './layout';
export type { Program } from './lower';
export { type ProfiledProgram, type ProfileOptions, profileProgram } from './profile';
export { lowerWasm, type WasmProgram, wasmAvailable } from './wasm/index';
export { wasmThreads } from './wasm/pool';
