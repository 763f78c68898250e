/**
 * The backend names, declared once for core, the CLI, the workbench and session files, with what each one
 * is in words. Import-free, so a UI can list backends without loading the compiler.
 *
 * Two backends run on the CPU and must not be confused: `eager` is core's uncompiled reference path (float64
 * or float32, whatever dtype is asked), `cpu` is gpu.js's plain-JavaScript target (compiled, float32 only).
 */

/** Every backend name a user may ask for, `auto` first, then best first. */
export const JIT_BACKENDS = ['auto', 'webgpu', 'webgl2', 'wasm', 'webasm', 'cpu', 'eager'] as const;
export type JitBackend = (typeof JIT_BACKENDS)[number];
/** A backend that actually ran (`auto` is a request, never a result). */
export type RanBackend = Exclude<JitBackend, 'auto'>;

/** gpu.js's targets: they compute in float32 whatever dtype is asked (gpu.js has no float64). */
export const GPUJS_BACKENDS = ['webgpu', 'webgl2', 'webasm', 'cpu'] as const;
export type GpuJsBackend = (typeof GPUJS_BACKENDS)[number];

export function isFloat32Only(backend: JitBackend): backend is GpuJsBackend {
  return (GPUJS_BACKENDS as readonly string[]).includes(backend);
}

/** What a user picks from (the workbench's solver select; the CLI's help says the same). */
export const BACKEND_LABELS: Readonly<Record<JitBackend, string>> = {
  auto: 'compiled, auto (GPU float32, else WebAssembly)',
  webgpu: 'compiled, WebGPU (gpu.js, float32)',
  webgl2: 'compiled, WebGL2 (gpu.js, float32)',
  wasm: 'compiled, WebAssembly SIMD (core, chosen dtype)',
  webasm: 'compiled, gpu.js WebAssembly (float32)',
  cpu: 'compiled, gpu.js plain JavaScript (float32)',
  eager: 'eager reference, uncompiled (chosen dtype)',
};

/** What ran, as a status line names it: who compiled it, so `eager` and gpu.js's `cpu` read apart. */
export function ranLabel(backend: RanBackend): string {
  if (backend === 'eager') return 'eager (reference)';
  if (backend === 'wasm') return 'wasm (core)';
  return backend === 'cpu' ? 'cpu (gpu.js JavaScript)' : `${backend} (gpu.js)`;
}
