/**
 * The one module that talks to gpu.js (loaded lazily, so importing core never loads it). It compiles kernel
 * source strings, records a phase's launches into a `createPipeline` plan (the orchestration runs once, at
 * the first call; state stays in device memory between steps and gpu.js double-buffers it), runs it, and
 * reads each result back into one flat Float32Array. It reports which executor and backend actually ran so
 * callers can refuse a silent fallback.
 */

export type DeviceMode = 'webgpu' | 'webgl2' | 'webasm' | 'cpu';

export interface DeviceKernel {
  readonly key: string;
  readonly source: string;
  readonly dims: readonly number[];
  readonly loopMax: number;
}

export type PArg =
  | { readonly k: 'arg'; readonly i: number }
  | { readonly k: 'step'; readonly i: number }
  | { readonly k: 'int'; readonly v: number };

export interface PhasePlan {
  /** gpu.js dimensions of each pipeline argument (flat C-order data). */
  readonly argDims: readonly (readonly number[])[];
  readonly launches: readonly { readonly kernel: DeviceKernel; readonly args: readonly PArg[] }[];
  /** Launch indices whose outputs are read back. */
  readonly results: readonly number[];
}

export interface ExecutorReport {
  /** gpu.js's own account: 'fused-sync' | 'fused-threaded' | 'fused-encoder' | 'generic'. */
  readonly executorKind: string;
  /** The backend whose kernels executed ('webasm', 'cpu', ...). */
  readonly backend: string | null;
  readonly fallbackReason: string | null;
}

export interface PhaseRunner {
  run(args: readonly Float32Array[]): Promise<Float32Array[]>;
  report(): ExecutorReport;
  destroy(): void;
}

// gpu.js is loaded dynamically and used through the narrow surface below.
type GpuJs = any;
let lib: GpuJs | null = null;

async function load(): Promise<GpuJs> {
  if (!lib) {
    const m: GpuJs = await import('gpu.js');
    lib = m.GPU ? m : m.default;
  }
  return lib;
}

/** A software rasteriser posing as a GPU (Mesa llvmpipe, SwiftShader): slower than webasm on the same CPU. */
const SOFTWARE_GPU = /llvmpipe|softpipe|swiftshader|software|basic render/i;

export interface AvailableModes {
  /** navigator.gpu has an adapter that answers (browsers; Node after node-webgpu.ts installed Dawn). */
  readonly webgpu: boolean;
  /** That adapter is a software rasteriser (so 'auto' prefers webasm). */
  readonly webgpuSoftware: boolean;
  /** WebGL2 (browsers only). */
  readonly webgl2: boolean;
  /** Its renderer is a software rasteriser (SwiftShader, llvmpipe). */
  readonly webgl2Software: boolean;
  readonly webasm: boolean;
  readonly threads: boolean;
  readonly cpu: boolean;
  /** The GPU's name as its adapter or WebGL renderer gives it (null: none): where 'auto' keeps its measurements. */
  readonly gpuName: string | null;
}

/** What a WebGL2 context here reports (null without WebGL2): its renderer and largest texture side. */
function probeWebgl2(): { renderer: string; maxTextureSize: number } | null {
  const g = globalThis as any;
  try {
    const canvas =
      typeof g.OffscreenCanvas === 'function'
        ? new g.OffscreenCanvas(1, 1)
        : g.document?.createElement?.('canvas');
    const gl = canvas?.getContext?.('webgl2');
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    const maxTextureSize = Number(gl.getParameter(gl.MAX_TEXTURE_SIZE));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { renderer, maxTextureSize };
  } catch {
    return null;
  }
}

/** webasm: one pipeline's buffers share one wasm32 memory (4 GiB at most); cap each buffer at 512 MiB. */
const WEBASM_BUFFER_BYTES = 512 * 2 ** 20;

/**
 * Which gpu.js backends can run here. Probed once (an adapter request and a WebGL2 context are not free, and
 * a live solve asks on every run) and again only when navigator.gpu changes (Node's Dawn adapter installed).
 */
export function availableModes(): Promise<AvailableModes> {
  const gpu = (globalThis as any).navigator?.gpu;
  if (!probed || probed.gpu !== gpu) {
    const modes = probeModes();
    probed = { gpu, modes };
    modes.catch(() => {
      probed = null;
    });
  }
  return probed.modes;
}
let probed: { gpu: unknown; modes: Promise<AvailableModes> } | null = null;

async function probeModes(): Promise<AvailableModes> {
  const g = await load();
  let webgpu = false;
  let webgpuSoftware = false;
  let adapterName: string | null = null;
  if (g.GPU.isWebGPUSupported) {
    try {
      const adapter: any = await (globalThis as any).navigator.gpu.requestAdapter();
      webgpu = adapter !== null && adapter !== undefined;
      const info = adapter?.info ?? {};
      adapterName =
        [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || null;
      webgpuSoftware =
        webgpu &&
        (Boolean(info.isFallbackAdapter) ||
          SOFTWARE_GPU.test([info.vendor, info.architecture, info.device, info.description].join(' ')));
    } catch {
      webgpu = false;
    }
  }
  const glRenderer = g.GPU.isWebGL2Supported ? (probeWebgl2()?.renderer ?? null) : null;
  return {
    webgpu,
    webgpuSoftware,
    webgl2: glRenderer !== null,
    webgl2Software: glRenderer !== null && SOFTWARE_GPU.test(glRenderer),
    webasm: Boolean(g.GPU.isWebAssemblySupported),
    threads: Boolean(g.WebAssemblyKernel?.isThreadsSupported),
    cpu: true,
    gpuName: webgpu ? adapterName : glRenderer,
  };
}

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/**
 * A kernel result as one flat array. webasm returns rows that are views of one fresh buffer (used as is);
 * otherwise rows are copied once.
 */
function flatResult(r: unknown, n: number): Float32Array {
  if (r instanceof Float32Array) return r.length === n ? r : r.slice(0, n);
  const rows: Float32Array[] = [];
  const walk = (x: unknown) => {
    if (x instanceof Float32Array) rows.push(x);
    else if (Array.isArray(x)) for (const y of x) walk(y);
    else throw new Error(`gpu.js returned an unexpected result (${typeof x})`);
  };
  walk(r);
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  if (
    first.byteOffset === 0 &&
    first.buffer.byteLength >= n * 4 &&
    last.buffer === first.buffer &&
    last.byteOffset + last.byteLength === n * 4 &&
    rows.every((row, i) => row.buffer === first.buffer && row.byteOffset === i * first.byteLength)
  )
    return new Float32Array(first.buffer, 0, n);
  const out = new Float32Array(n);
  let off = 0;
  for (const row of rows) {
    out.set(row, off);
    off += row.length;
  }
  if (off !== n) throw new Error(`gpu.js returned ${off} values where ${n} were expected`);
  return out;
}

export class GpuJsDevice {
  private readonly kernels = new Map<string, GpuJs>();
  private glTextureSide: number | undefined;

  private constructor(
    readonly mode: DeviceMode,
    readonly threads: boolean,
    private readonly g: GpuJs,
    private readonly gpu: GpuJs,
  ) {}

  static async create(mode: DeviceMode, threads: boolean): Promise<GpuJsDevice> {
    const g = await load();
    if (mode === 'webasm' && !g.GPU.isWebAssemblySupported)
      throw new Error('gpu.js reports no WebAssembly SIMD support on this platform');
    return new GpuJsDevice(mode, threads, g, new g.GPU({ mode }));
  }

  private kernel(k: DeviceKernel): GpuJs {
    let fn = this.kernels.get(k.key);
    if (!fn) {
      const settings: Record<string, unknown> = { output: [...k.dims] };
      if (k.loopMax >= 1000) settings.loopMaxIterations = k.loopMax + 1;
      fn = this.gpu.createKernel(k.source, settings);
      this.kernels.set(k.key, fn);
    }
    return fn;
  }

  pipeline(plan: PhasePlan): PhaseRunner {
    const kernels = plan.launches.map((l) => this.kernel(l.kernel));
    const launches = plan.launches;
    const results = plan.results;
    // The orchestration is traced once by gpu.js: each call records a step; nothing runs here.
    const orchestrate = (...args: unknown[]) => {
      const outs: unknown[] = [];
      launches.forEach((l, i) => {
        outs.push(
          kernels[i](...l.args.map((a) => (a.k === 'arg' ? args[a.i] : a.k === 'step' ? outs[a.i] : a.v))),
        );
      });
      return results.map((i) => outs[i]);
    };
    // gpu.js reads the argument count from fn.length.
    const fn = function (this: unknown, ...args: unknown[]) {
      return orchestrate(...args);
    };
    Object.defineProperty(fn, 'length', { value: plan.argDims.length });
    const pipe = this.gpu.createPipeline(fn, { threads: this.threads });
    const sizes = results.map((i) => product(launches[i]!.kernel.dims));
    const { input } = this.g;
    return {
      run: async (args) => {
        const values = args.map((a, i) => input(a, [...plan.argDims[i]!]));
        const out: unknown[] = await pipe(...values);
        return out.map((r, i) => flatResult(r, sizes[i]!));
      },
      report: () => ({
        executorKind: pipe.executorKind,
        backend: pipe.backend === 'gpu' ? this.glBackend(pipe) : pipe.backend,
        fallbackReason: pipe.fallbackReason,
      }),
      destroy: () => {
        pipe.destroy();
      },
    };
  }

  /**
   * The largest array one kernel may read or write here, in bytes: WebGPU's storage-binding limit (what
   * gpu.js asked the adapter for), WebGL2's largest texture (one float per texel, conservatively), for
   * webasm a share of wasm32's 4 GiB memory that leaves room for a program's other live buffers; the cpu
   * backend keeps plain JavaScript arrays.
   */
  async maxBufferBytes(): Promise<number> {
    switch (this.mode) {
      case 'webgpu': {
        const { device } = await this.g.WebGPUContext.acquire();
        return Number(device.limits.maxStorageBufferBindingSize);
      }
      case 'webgl2': {
        this.glTextureSide ??= probeWebgl2()?.maxTextureSize ?? 0;
        return this.glTextureSide * this.glTextureSide * 4;
      }
      case 'webasm':
        return WEBASM_BUFFER_BYTES;
      case 'cpu':
        return Number.POSITIVE_INFINITY;
    }
  }

  /**
   * gpu.js names both GL backends 'gpu': tell WebGL2 from WebGL1 by the class of the kernels that ran
   * (the generic executor's clones).
   */
  private glBackend(pipe: GpuJs): string {
    const ran = [...(pipe.plan?.genericClones?.entries() ?? [])]
      .filter(([key]) => !String(key).startsWith('up:'))
      .map(([, clone]) => clone.kernel);
    if (ran.length === 0) return 'gpu';
    if (ran.every((k) => k instanceof this.g.WebGL2Kernel)) return 'webgl2';
    if (ran.every((k) => k instanceof this.g.WebGLKernel)) return 'webgl';
    return 'gpu';
  }

  destroy(): void {
    this.gpu.destroy();
  }
}

/** gpu.js's message when the WebGPU device under a kernel or pipeline is gone. */
export const isDeviceLost = (message: string): boolean => /device (was )?lost/i.test(message);

/** The shared WebGPU device gpu.js runs on (for tests that simulate a lost device); null without WebGPU. */
export async function webgpuDevice(): Promise<{ destroy(): void; lost: Promise<unknown> } | null> {
  const g = await load();
  if (!g.WebGPUContext?.isSupported) return null;
  const { device } = await g.WebGPUContext.acquire();
  return device;
}
