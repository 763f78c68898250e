/**
 * The part of the host's WebAssembly API the target uses, typed here: core's TypeScript lib is plain ES2022
 * (no DOM), and the same module runs in Node, browsers and workers.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
  instantiate(
    bytes: Uint8Array<ArrayBuffer>,
    imports: Record<string, Record<string, unknown>>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}

/** The host's WebAssembly, or null where there is none. */
export const engine: WasmApi | null =
  (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly ?? null;
