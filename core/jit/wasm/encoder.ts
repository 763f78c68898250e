/**
 * A small WebAssembly binary writer: one module with its own memory, function imports (JavaScript's Math for
 * the transcendental functions) and functions whose bodies are written instruction by instruction. Only what
 * the code generator uses is here; the opcodes are the spec's (core and SIMD128).
 */

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';
const VALTYPE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };
const BLOCK_EMPTY = 0x40;

/** Core opcodes (one byte). */
export const OP = {
  unreachable: 0x00,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  br_if: 0x0d,
  return: 0x0f,
  call: 0x10,
  drop: 0x1a,
  select: 0x1b,
  'local.get': 0x20,
  'local.set': 0x21,
  'local.tee': 0x22,
  'i32.load': 0x28,
  'f32.load': 0x2a,
  'f64.load': 0x2b,
  'i32.store': 0x36,
  'f32.store': 0x38,
  'f64.store': 0x39,
  'i32.const': 0x41,
  'f32.const': 0x43,
  'f64.const': 0x44,
  'i32.eqz': 0x45,
  'i32.eq': 0x46,
  'i32.ne': 0x47,
  'i32.lt_s': 0x48,
  'i32.gt_s': 0x4a,
  'i32.le_s': 0x4c,
  'i32.ge_s': 0x4e,
  'f32.eq': 0x5b,
  'f32.ne': 0x5c,
  'f32.lt': 0x5d,
  'f32.gt': 0x5e,
  'f32.le': 0x5f,
  'f32.ge': 0x60,
  'f64.eq': 0x61,
  'f64.ne': 0x62,
  'f64.lt': 0x63,
  'f64.gt': 0x64,
  'f64.le': 0x65,
  'f64.ge': 0x66,
  'i32.add': 0x6a,
  'i32.sub': 0x6b,
  'i32.mul': 0x6c,
  'i32.div_s': 0x6d,
  'i32.rem_s': 0x6f,
  'i32.and': 0x71,
  'i32.or': 0x72,
  'i32.shl': 0x74,
  'i32.shr_s': 0x75,
  'f32.abs': 0x8b,
  'f32.neg': 0x8c,
  'f32.floor': 0x8e,
  'f32.trunc': 0x8f,
  'f32.sqrt': 0x91,
  'f32.add': 0x92,
  'f32.sub': 0x93,
  'f32.mul': 0x94,
  'f32.div': 0x95,
  'f32.min': 0x96,
  'f32.max': 0x97,
  'f32.copysign': 0x98,
  'f64.abs': 0x99,
  'f64.neg': 0x9a,
  'f64.floor': 0x9c,
  'f64.trunc': 0x9d,
  'f64.sqrt': 0x9f,
  'f64.add': 0xa0,
  'f64.sub': 0xa1,
  'f64.mul': 0xa2,
  'f64.div': 0xa3,
  'f64.min': 0xa4,
  'f64.max': 0xa5,
  'f64.copysign': 0xa6,
  'f32.convert_i32_s': 0xb2,
  'f32.demote_f64': 0xb6,
  'f64.convert_i32_s': 0xb7,
  'f64.promote_f32': 0xbb,
} as const;
export type CoreOp = keyof typeof OP;

/** Saturating truncations and bulk memory (0xFC prefix). */
export const OP_FC = {
  'i32.trunc_sat_f32_s': 0,
  'i32.trunc_sat_f64_s': 2,
  'memory.copy': 10,
  'memory.fill': 11,
} as const;

/** SIMD128 opcodes (0xFD prefix). */
export const OP_SIMD = {
  'v128.load': 0,
  'v128.store': 11,
  'i32x4.splat': 17,
  'f32x4.splat': 19,
  'f64x2.splat': 20,
  'f32x4.extract_lane': 31,
  'f32x4.replace_lane': 32,
  'f64x2.extract_lane': 33,
  'f64x2.replace_lane': 34,
  'f32x4.eq': 65,
  'f32x4.ne': 66,
  'f32x4.lt': 67,
  'f32x4.gt': 68,
  'f32x4.le': 69,
  'f32x4.ge': 70,
  'f64x2.eq': 71,
  'f64x2.ne': 72,
  'f64x2.lt': 73,
  'f64x2.gt': 74,
  'f64x2.le': 75,
  'f64x2.ge': 76,
  'f32x4.floor': 104,
  'f32x4.trunc': 105,
  'f64x2.floor': 117,
  'f64x2.trunc': 122,
  'v128.not': 77,
  'v128.and': 78,
  'v128.or': 80,
  'v128.xor': 81,
  'v128.bitselect': 82,
  'f32x4.abs': 224,
  'f32x4.neg': 225,
  'f32x4.sqrt': 227,
  'f32x4.add': 228,
  'f32x4.sub': 229,
  'f32x4.mul': 230,
  'f32x4.div': 231,
  'f32x4.min': 232,
  'f32x4.max': 233,
  'f64x2.abs': 236,
  'f64x2.neg': 237,
  'f64x2.sqrt': 239,
  'f64x2.add': 240,
  'f64x2.sub': 241,
  'f64x2.mul': 242,
  'f64x2.div': 243,
  'f64x2.min': 244,
  'f64x2.max': 245,
} as const;
export type SimdOp = keyof typeof OP_SIMD;

class Bytes {
  readonly b: number[] = [];
  byte(x: number): this {
    this.b.push(x & 0xff);
    return this;
  }
  u32(x: number): this {
    do {
      let byte = x & 0x7f;
      x >>>= 7;
      if (x !== 0) byte |= 0x80;
      this.b.push(byte);
    } while (x !== 0);
    return this;
  }
  s32(x: number): this {
    x |= 0;
    for (;;) {
      const byte = x & 0x7f;
      x >>= 7;
      if ((x === 0 && (byte & 0x40) === 0) || (x === -1 && (byte & 0x40) !== 0)) {
        this.b.push(byte);
        return this;
      }
      this.b.push(byte | 0x80);
    }
  }
  f32(x: number): this {
    const v = new DataView(new ArrayBuffer(4));
    v.setFloat32(0, x, true);
    for (let i = 0; i < 4; i++) this.b.push(v.getUint8(i));
    return this;
  }
  f64(x: number): this {
    const v = new DataView(new ArrayBuffer(8));
    v.setFloat64(0, x, true);
    for (let i = 0; i < 8; i++) this.b.push(v.getUint8(i));
    return this;
  }
  str(s: string): this {
    const u = new TextEncoder().encode(s);
    this.u32(u.length);
    for (const x of u) this.b.push(x);
    return this;
  }
  vec(items: readonly (readonly number[])[]): this {
    this.u32(items.length);
    for (const it of items) this.append(it);
    return this;
  }
  append(xs: readonly number[]): this {
    for (const x of xs) this.b.push(x);
    return this;
  }
}

const fnv1a = (xs: readonly number[]): number => {
  let h = 0x811c9dc5;
  for (const x of xs) h = Math.imul(h ^ x, 0x01000193);
  return h >>> 0;
};
const sameBytes = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** Natural alignment (log2 bytes) of each load/store width. */
const ALIGN = { 4: 2, 8: 3, 16: 4 } as const;

/** A function body, written as a flat instruction stream with typed locals. */
export class FuncBuilder {
  private readonly code = new Bytes();
  private readonly locals: ValType[] = [];

  constructor(readonly params: readonly ValType[]) {}

  local(t: ValType): number {
    this.locals.push(t);
    return this.params.length + this.locals.length - 1;
  }

  op(name: CoreOp): this {
    this.code.byte(OP[name]);
    return this;
  }
  fc(name: keyof typeof OP_FC): this {
    this.code.byte(0xfc).u32(OP_FC[name]);
    if (name === 'memory.copy') this.code.byte(0).byte(0);
    if (name === 'memory.fill') this.code.byte(0);
    return this;
  }
  simd(name: SimdOp): this {
    this.code.byte(0xfd).u32(OP_SIMD[name]);
    return this;
  }
  lane(
    name: 'f32x4.extract_lane' | 'f32x4.replace_lane' | 'f64x2.extract_lane' | 'f64x2.replace_lane',
    i: number,
  ) {
    this.simd(name);
    this.code.byte(i);
    return this;
  }
  get(i: number): this {
    this.code.byte(OP['local.get']).u32(i);
    return this;
  }
  set(i: number): this {
    this.code.byte(OP['local.set']).u32(i);
    return this;
  }
  tee(i: number): this {
    this.code.byte(OP['local.tee']).u32(i);
    return this;
  }
  i32(x: number): this {
    this.code.byte(OP['i32.const']).s32(x);
    return this;
  }
  f32(x: number): this {
    this.code.byte(OP['f32.const']).f32(x);
    return this;
  }
  f64(x: number): this {
    this.code.byte(OP['f64.const']).f64(x);
    return this;
  }
  call(fn: number): this {
    this.code.byte(OP.call).u32(fn);
    return this;
  }
  /** A load or store with a constant byte offset (non-negative) from the address on the stack. */
  mem(name: 'i32.load' | 'f32.load' | 'f64.load' | 'i32.store' | 'f32.store' | 'f64.store', offset = 0) {
    const width = name.startsWith('f64') ? 8 : 4;
    this.code.byte(OP[name]).u32(ALIGN[width]).u32(offset);
    return this;
  }
  /** v128.load/store; `align` is the alignment the address is known to have (default: element size). */
  vmem(name: 'v128.load' | 'v128.store', offset = 0, elementBytes: 4 | 8 = 4) {
    this.simd(name);
    this.code.u32(ALIGN[elementBytes]).u32(offset);
    return this;
  }
  block(kind: 'block' | 'loop' | 'if', result: ValType | null = null): this {
    this.code.byte(OP[kind]).byte(result ? VALTYPE[result] : BLOCK_EMPTY);
    return this;
  }
  else(): this {
    this.code.byte(OP.else);
    return this;
  }
  end(): this {
    this.code.byte(OP.end);
    return this;
  }
  /** Branch to the label `levels` blocks out (0: the innermost). */
  br(levels: number): this {
    this.code.byte(OP.br).u32(levels);
    return this;
  }
  brIf(levels: number): this {
    this.code.byte(OP.br_if).u32(levels);
    return this;
  }

  private encoded: number[] | null = null;

  /** The function body's bytes (computed once: the builder is complete when it is encoded). */
  encode(): number[] {
    this.encoded ??= this.encodeBody();
    return this.encoded;
  }

  private encodeBody(): number[] {
    const body = new Bytes();
    const groups: [number, ValType][] = [];
    for (const t of this.locals) {
      const last = groups.at(-1);
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    body.u32(groups.length);
    for (const [n, t] of groups) body.u32(n).byte(VALTYPE[t]);
    body.append(this.code.b).byte(OP.end);
    return new Bytes().u32(body.b.length).append(body.b).b;
  }
}

interface FuncType {
  params: readonly ValType[];
  results: readonly ValType[];
}

/** The module: imported functions first (their indices come before the defined functions'), then bodies. */
export class ModuleBuilder {
  private readonly types: FuncType[] = [];
  private readonly imports: { module: string; name: string; type: number }[] = [];
  private readonly funcs: { type: number; body: FuncBuilder; export?: string }[] = [];
  /** Defined functions by a hash of their bytes (equal bytes checked), to share identical kernels. */
  private readonly shared = new Map<string, number[]>();
  memoryPages = 1;

  private typeIndex(t: FuncType): number {
    const key = (x: FuncType) => `${x.params.join(',')}>${x.results.join(',')}`;
    const i = this.types.findIndex((u) => key(u) === key(t));
    if (i >= 0) return i;
    this.types.push(t);
    return this.types.length - 1;
  }

  /** Import a function; must be called before any function is defined. */
  importFunc(module: string, name: string, params: readonly ValType[], results: readonly ValType[]): number {
    if (this.funcs.length) throw new Error('wasm encoder: imports come before defined functions');
    this.imports.push({ module, name, type: this.typeIndex({ params, results }) });
    return this.imports.length - 1;
  }

  func(params: readonly ValType[], results: readonly ValType[], exportName?: string): FuncBuilder {
    const body = new FuncBuilder(params);
    this.add(body, results, exportName);
    return body;
  }

  /** Define a function written separately; an identical one already defined is shared. Its index. */
  add(body: FuncBuilder, results: readonly ValType[] = [], exportName?: string): number {
    const type = this.typeIndex({ params: body.params, results });
    if (!exportName) {
      const bytes = body.encode();
      const key = `${type}:${bytes.length}:${fnv1a(bytes)}`;
      const same = (this.shared.get(key) ?? []).find((i) =>
        sameBytes(this.funcs[i - this.imports.length]!.body.encode(), bytes),
      );
      if (same !== undefined) return same;
      this.shared.set(key, [...(this.shared.get(key) ?? []), this.imports.length + this.funcs.length]);
    }
    this.funcs.push({ type, body, ...(exportName ? { export: exportName } : {}) });
    return this.imports.length + this.funcs.length - 1;
  }

  /** Number of distinct defined functions. */
  get functionCount(): number {
    return this.funcs.length;
  }

  encode(): Uint8Array<ArrayBuffer> {
    const out = new Bytes();
    out.b.push(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
    const section = (id: number, content: Bytes) => {
      out.byte(id).u32(content.b.length).append(content.b);
    };
    const types = new Bytes().vec(
      this.types.map((t) => [
        0x60,
        ...new Bytes().vec(t.params.map((p) => [VALTYPE[p]])).b,
        ...new Bytes().vec(t.results.map((r) => [VALTYPE[r]])).b,
      ]),
    );
    section(1, types);
    section(
      2,
      new Bytes().vec(
        this.imports.map((im) => [...new Bytes().str(im.module).str(im.name).byte(0).u32(im.type).b]),
      ),
    );
    section(3, new Bytes().vec(this.funcs.map((f) => new Bytes().u32(f.type).b)));
    section(5, new Bytes().vec([[0x00, ...new Bytes().u32(this.memoryPages).b]]));
    const exports: number[][] = [[...new Bytes().str('memory').byte(2).u32(0).b]];
    this.funcs.forEach((f, i) => {
      if (f.export)
        exports.push([
          ...new Bytes()
            .str(f.export)
            .byte(0)
            .u32(this.imports.length + i).b,
        ]);
    });
    section(7, new Bytes().vec(exports));
    section(10, new Bytes().vec(this.funcs.map((f) => f.body.encode())));
    return new Uint8Array(out.b);
  }
}
