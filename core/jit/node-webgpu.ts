/**
 * Adapter (Node only): WebGPU for gpu.js through Dawn's Node binding (`webgpu@0.3.x`; gpu.js's own pinned
 * 0.2.9 does not load on Debian 12). It installs `navigator.gpu` by hand, which gpu.js's webgpu backend then
 * finds. On a machine without a GPU driver only Dawn's OpenGL ES backend works (Mesa llvmpipe, a software
 * GPU): it needs EGL's surfaceless platform, a private XDG_RUNTIME_DIR, and adapters requested at the
 * 'compatibility' feature level, which gpu.js does not ask for — so requestAdapter defaults it here.
 *
 * Nothing imports this module implicitly: call `installNodeWebGpu()` once, before the first jit call that
 * should consider webgpu. Browsers have navigator.gpu natively and need none of this.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NodeWebGpuOptions {
  /** Dawn backend: $RTE_DAWN_BACKEND, else 'opengles' (works on Mesa llvmpipe); 'vulkan' on a GPU server, ... */
  backend?: string;
}

export interface NodeWebGpuStatus {
  readonly installed: boolean;
  /** Why not, when not installed. */
  readonly reason: string | null;
  /** What the adapter says it is (a software GPU here: llvmpipe). */
  readonly adapter: string | null;
}

let status: Promise<NodeWebGpuStatus> | null = null;

/** Install navigator.gpu backed by Dawn; resolves with whether an adapter answered. Idempotent. */
export function installNodeWebGpu(opts: NodeWebGpuOptions = {}): Promise<NodeWebGpuStatus> {
  status ??= install(opts.backend ?? process.env.RTE_DAWN_BACKEND ?? 'opengles');
  return status;
}

async function install(backend: string): Promise<NodeWebGpuStatus> {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator?.gpu)
    return { installed: true, reason: null, adapter: 'navigator.gpu was already present' };
  try {
    process.env.EGL_PLATFORM ??= 'surfaceless';
    process.env.XDG_RUNTIME_DIR ??= mkdtempSync(join(tmpdir(), 'rte-webgpu-'));
    const dawn: any = await import('webgpu');
    Object.assign(globalThis, dawn.globals);
    const gpu = dawn.create([`backend=${backend}`]);
    const request = gpu.requestAdapter.bind(gpu);
    // Devices get the adapter's storage-buffer count (the default, 8, caps a kernel at 7 array arguments).
    const requestAdapter = async (o: object = {}) => {
      // the GL backends only offer WebGPU's compatibility level; Vulkan, Metal and D3D12 offer core
      const level = /^opengl/.test(backend) ? { featureLevel: 'compatibility' } : {};
      const a = await request({ ...level, ...o });
      if (!a) return a;
      return new Proxy(a, {
        get(target, key) {
          if (key === 'requestDevice')
            return (d: { requiredLimits?: object } = {}) =>
              target.requestDevice({
                ...d,
                requiredLimits: {
                  maxStorageBuffersPerShaderStage: target.limits.maxStorageBuffersPerShaderStage,
                  ...(d.requiredLimits ?? {}),
                },
              });
          const v = target[key];
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
    };
    const adapter = await requestAdapter();
    if (!adapter)
      return { installed: false, reason: `Dawn (${backend}) offered no WebGPU adapter`, adapter: null };
    const shim = new Proxy(gpu, {
      get(target, key) {
        if (key === 'requestAdapter') return requestAdapter;
        const v = target[key];
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    Object.defineProperty(globalThis, 'navigator', {
      value: { ...(g.navigator ?? {}), gpu: shim },
      configurable: true,
      writable: true,
    });
    const info = adapter.info ?? {};
    const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
    return { installed: true, reason: null, adapter: name || `Dawn ${backend}` };
  } catch (e) {
    return {
      installed: false,
      reason: `Dawn's WebGPU binding did not load: ${(e as Error).message}`,
      adapter: null,
    };
  }
}
