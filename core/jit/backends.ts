/**
 * Which backend runs a program: the fallback chain (best first, software GPUs only when asked for), the
 * gpu.js devices shared by every jitted function, and the check that gpu.js ran what it was asked to.
 */
import { JIT_BACKENDS, type JitBackend, type RanBackend } from './backend-names';
import { type AvailableModes, type DeviceMode, type ExecutorReport, GpuJsDevice } from './gpujs';

export type { JitBackend, RanBackend } from './backend-names';
/** Every backend, best first (before the hardware and dtype rules of chainFor). */
export const BACKEND_ORDER: readonly RanBackend[] = JIT_BACKENDS.filter((b): b is RanBackend => b !== 'auto');

export interface ChainContext {
  /** Whether core's WebAssembly SIMD target can run here. */
  readonly wasm: boolean;
  /**
   * Whether the program computes in float64: then the target that keeps float64 (wasm) comes first. Read
   * only when the order depends on it (it may stage the program).
   */
  readonly float64: boolean;
}
const NO_WASM: ChainContext = { wasm: false, float64: false };

/** One gpu.js device per mode and threading, shared by every jitted function. */
const devices = new Map<string, Promise<GpuJsDevice>>();
export function device(mode: DeviceMode, threads: boolean): Promise<GpuJsDevice> {
  const key = `${mode}:${threads}`;
  let d = devices.get(key);
  if (!d) {
    d = GpuJsDevice.create(mode, threads);
    devices.set(key, d);
    d.catch(() => devices.delete(key));
  }
  return d;
}

/** Drop a mode's devices (after a lost GPU device): the next call builds a fresh one. */
export function forgetDevice(mode: DeviceMode): void {
  for (const key of [...devices.keys()]) if (key.startsWith(`${mode}:`)) devices.delete(key);
}

/** Nothing available: what a failed probe reports. */
export const NO_MODES: AvailableModes = {
  webgpu: false,
  webgpuSoftware: false,
  webgl2: false,
  webgl2Software: false,
  webasm: false,
  threads: false,
  cpu: false,
  gpuName: null,
};

export function chainFor(
  requested: JitBackend,
  strict: boolean,
  modes: AvailableModes,
  ctx: ChainContext = NO_WASM,
): RanBackend[] {
  const all = BACKEND_ORDER;
  // A software GPU (llvmpipe, SwiftShader) is slower than WebAssembly on the same CPU: 'auto' only takes a
  // real one, and so does a fallback from a forced backend. gpu.js computes in float32 only, so a float64
  // program goes to wasm first.
  if (strict && requested !== 'auto') return [requested];
  let best = all.filter(
    (b) =>
      (b !== 'webgpu' || (modes.webgpu && !modes.webgpuSoftware)) &&
      (b !== 'webgl2' || (modes.webgl2 && !modes.webgl2Software)) &&
      (b !== 'wasm' || ctx.wasm),
  );
  if (ctx.float64 && ctx.wasm) best = ['wasm', ...best.filter((b) => b !== 'wasm')];
  if (requested === 'auto') return best;
  return [requested, ...best.filter((b) => b !== requested && all.indexOf(b) > all.indexOf(requested))];
}

/** Whether `b` is a GPU in hardware here (not a software rasteriser): what 'auto' weighs against wasm. */
export const isHardwareGpu = (b: RanBackend, modes: AvailableModes): boolean =>
  (b === 'webgpu' && modes.webgpu && !modes.webgpuSoftware) ||
  (b === 'webgl2' && modes.webgl2 && !modes.webgl2Software);

/** Every gpu.js mode present in hardware: with NO_MODES, the two bounds of what a probe can report. */
const ALL_MODES: AvailableModes = {
  webgpu: true,
  webgpuSoftware: false,
  webgl2: true,
  webgl2Software: false,
  webasm: true,
  threads: true,
  cpu: true,
  gpuName: null,
};

/**
 * The backends to try, in order, each with what gpu.js offers here. Loading and probing gpu.js takes about a
 * second on first use, so it happens only once the chain reaches a backend whose place depends on the probe:
 * a float64 program, or one forced onto wasm, runs without gpu.js ever being loaded.
 */
export async function* backendPlan(
  requested: JitBackend,
  strict: boolean,
  probe: () => Promise<AvailableModes>,
  ctx: ChainContext,
): AsyncGenerator<{ backend: RanBackend; modes: AvailableModes }> {
  let modes: AvailableModes | null = null;
  const tried = new Set<RanBackend>();
  for (;;) {
    const next = (m: AvailableModes) => chainFor(requested, strict, m, ctx).find((b) => !tried.has(b));
    let backend = next(modes ?? NO_MODES);
    if (modes === null && (backend !== next(ALL_MODES) || (backend !== 'wasm' && backend !== 'eager'))) {
      modes = await probe().catch(() => NO_MODES);
      backend = next(modes);
    }
    if (backend === undefined) return;
    tried.add(backend);
    yield { backend, modes: modes ?? NO_MODES };
  }
}

/** The executors gpu.js may report for each backend (anything else is a degradation). */
const EXECUTOR: Record<DeviceMode, (kind: string, threads: boolean) => boolean> = {
  webgpu: (k) => k === 'fused-encoder',
  // gpu.js has no fused executor for GL: its generic one keeps textures on the GPU from step to step
  webgl2: (k) => k === 'generic',
  webasm: (k, threads) => k === 'fused-sync' || (threads && k === 'fused-threaded'),
  cpu: (k) => k === 'generic',
};

export function checkReports(
  backend: DeviceMode,
  threads: boolean,
  reports: readonly ExecutorReport[],
): string | null {
  for (const r of reports)
    if (r.backend !== backend || !EXECUTOR[backend](r.executorKind, threads))
      return `gpu.js ran this program on backend '${r.backend}' with executor '${r.executorKind}' instead of ${backend}${r.fallbackReason ? ` (${r.fallbackReason})` : ''}`;
  return null;
}
