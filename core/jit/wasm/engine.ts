/**
 * The part of the host's WebAssembly API the target uses, typed here: core's TypeScript lib is plain ES2022
 * (no DOM), and the same module runs in Node, browsers and workers.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
/** A module's imports: functions by module and name. */
export type Imports = Record<string, Record<string, unknown>>;
interface WasmInstance {
  exports: Record<string, unknown>;
}
interface WasmApi {
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: Imports) => WasmInstance;
  instantiate(bytes: Uint8Array<ArrayBuffer>, imports: Imports): Promise<{ instance: WasmInstance }>;
}

/** The host's WebAssembly, or null where there is none. */
export const engine: WasmApi | null =
  (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly ?? null;
