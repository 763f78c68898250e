/**
 * NumPy .npy bytes ⇄ typed arrays and tensors: the one .npy codec of the project (the CLI, the workbench's
 * worker and its UI all use it). Pure and browser-safe: no file system, no Node or DOM API. Decoding and
 * encoding go through npyjs; the header is checked here first because npyjs silently accepts big-endian data,
 * Fortran order and a short or over-long data section.
 */
import { dump, parse } from 'npyjs';
import { tensor } from '../ops/creation';
import { permute } from '../ops/shape';
import type { DType } from '../tensor/dtype';
import { fmt, sizeOf } from '../tensor/shape';
import type { ConcreteTensor, Tensor } from '../tensor/tensor';

/** A `.npy` file or array that cannot be read or written: the message says what and where. */
export class NpyError extends Error {
  override name = 'NpyError';
}

const ALLOWED =
  "allowed: little-endian float64 ('<f8'), float32 ('<f4') or int32 ('<i4'), C order (fortran_order False)";

const FROM_DESCR: Record<string, NpyHeader['dtype']> = { '<f8': 'float64', '<f4': 'float32', '<i4': 'int32' };
const ITEM_BYTES: Partial<Record<DType, number>> = { float64: 8, float32: 4, int32: 4 };

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** What a .npy header declares. */
export interface NpyHeader {
  dtype: 'float64' | 'float32' | 'int32';
  shape: number[];
  /** Where the data starts, and how many bytes of it the shape and dtype need. */
  dataOffset: number;
  dataBytes: number;
  fortranOrder: boolean;
}

/** How `parseNpy` reads a file. */
export interface ParseOptions {
  /** Read column-major (Fortran-order) data as the same array in C order instead of rejecting it. */
  acceptFortranOrder?: boolean;
}

/**
 * Read and check the header alone: `bytes` may be just the file's first bytes (a reader can then check shape
 * and size before it reads the data). Throws NpyError, starting with `what`.
 */
export function parseNpyHeader(u8: Uint8Array, what = 'file', opts: ParseOptions = {}): NpyHeader {
  const fail = (problem: string): never => {
    throw new NpyError(`${what}: ${problem}`);
  };
  if (u8.length < 10 || MAGIC.some((b, i) => u8[i] !== b))
    fail('not a .npy file (it does not start with the magic bytes \\x93NUMPY)');
  const major = u8[6]!;
  if (major < 1 || major > 3)
    fail(`unsupported .npy format version ${major}.${u8[7]} (allowed: 1.x, 2.x, 3.x)`);
  const view = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (u8.length < 8 + lengthBytes) fail('truncated .npy header');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lengthBytes;
  const dataOffset = headerStart + headerLen;
  if (dataOffset > u8.length)
    fail(`truncated .npy header (declares ${headerLen} header bytes, the file holds ${u8.length} bytes)`);
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(u8.subarray(headerStart, dataOffset));

  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  if (descr === undefined) fail(`.npy header has no simple 'descr' (got ${text.trim()}); ${ALLOWED}`);
  const dtype = FROM_DESCR[descr!];
  if (!dtype) {
    const code = descr!.slice(1);
    if (descr!.startsWith('>') && FROM_DESCR[`<${code}`]) fail(`big-endian data ('${descr}'); ${ALLOWED}`);
    fail(`unsupported dtype '${descr}'; ${ALLOWED}`);
  }
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  if (fortran === undefined) fail(`.npy header has no 'fortran_order' (got ${text.trim()})`);
  if (fortran === 'True' && !opts.acceptFortranOrder)
    fail(`data is in Fortran (column-major) order (save it with numpy.ascontiguousarray); ${ALLOWED}`);
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (shapeText === undefined) fail(`.npy header has no 'shape' tuple (got ${text.trim()})`);
  const parts = shapeText!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!parts.every((p) => /^\d+$/.test(p))) fail(`.npy header has a malformed shape (${shapeText})`);
  const shape = parts.map(Number);

  const itemBytes = ITEM_BYTES[dtype!]!;
  if (dataOffset % itemBytes !== 0)
    fail(`the data starts at byte ${dataOffset}, not aligned to its ${itemBytes}-byte items`);
  const dataBytes = sizeOf(shape) * itemBytes;
  return { dtype: dtype!, shape, dataOffset, dataBytes, fortranOrder: fortran === 'True' };
}

/** The header, checked against the data that follows it in `u8` (the whole file). */
function readHeader(u8: Uint8Array, what: string, opts: ParseOptions): NpyHeader {
  const header = parseNpyHeader(u8, what, opts);
  const { dtype, shape, dataOffset, dataBytes: need } = header;
  const fail = (problem: string): never => {
    throw new NpyError(`${what}: ${problem}`);
  };
  const have = u8.length - dataOffset;
  if (have < need)
    fail(`truncated data: shape ${fmt(shape)} of ${dtype} needs ${need} bytes, the file holds ${have}`);
  if (have > need)
    fail(`${have - need} unexpected bytes after the data of shape ${fmt(shape)} (${dtype}, ${need} bytes)`);
  return header;
}

/** The element arrays a `.npy` file decodes to. */
export type NpyData = Float64Array | Float32Array | Int32Array;

/** A decoded .npy array: its values in C order, row-major in `shape`. */
export interface NpyArray {
  dtype: 'float64' | 'float32' | 'int32';
  shape: number[];
  data: NpyData;
}

function decode(bytes: ArrayBuffer | Uint8Array, what: string, opts: ParseOptions) {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const { dtype, shape, fortranOrder } = readHeader(u8, what, opts);
  // a fresh buffer: the input may be a view into a larger one (Node's pooled Buffers; Buffer#slice is a view)
  const data = parse(new Uint8Array(u8).buffer).data as NpyData;
  return { dtype, shape, data, fortranOrder };
}

/** Decode .npy bytes (C order only) to a typed array; `what` (e.g. the file name) starts every error message. */
export function decodeNpy(bytes: ArrayBuffer | Uint8Array, what = 'file'): NpyArray {
  const { dtype, shape, data } = decode(bytes, what, {});
  return { dtype, shape, data };
}

/** Decode .npy bytes to a tensor; `what` (e.g. the file name) starts every error message. */
export function parseNpy(
  bytes: ArrayBuffer | Uint8Array,
  what = 'file',
  opts: ParseOptions = {},
): ConcreteTensor {
  const { dtype, shape, data, fortranOrder } = decode(bytes, what, opts);
  if (!fortranOrder) return tensor(data, { shape, dtype });
  // Column-major data is the C-order array of the reversed shape, transposed.
  const reversed = tensor(data, { shape: [...shape].reverse(), dtype });
  return permute(reversed, [...shape.keys()].reverse()).concrete('parseNpy');
}

const TO_DESCR: Partial<Record<DType, 'f8' | 'f4' | 'i4'>> = { float64: 'f8', float32: 'f4', int32: 'i4' };

const DESCR_OF = (data: NpyData) =>
  data instanceof Float64Array ? 'f8' : data instanceof Float32Array ? 'f4' : 'i4';

/** Encode a typed array of the given C-order shape as .npy bytes (little endian). */
export function encodeNpyArray(data: NpyData, shape: readonly number[]): Uint8Array {
  const size = sizeOf(shape);
  if (size !== data.length)
    throw new NpyError(`encodeNpy: shape ${fmt(shape)} holds ${size} values, the data has ${data.length}`);
  return new Uint8Array(dump(data, [...shape], { dtype: DESCR_OF(data) }));
}

/** Encode a concrete tensor as .npy bytes (float64, float32 or int32; C order, little endian). */
export function encodeNpy(t: Tensor): Uint8Array {
  const c = t.concrete('encodeNpy()');
  if (!TO_DESCR[c.dtype]) throw new NpyError(`encodeNpy: cannot write dtype ${c.dtype}; ${ALLOWED}`);
  return encodeNpyArray(c.data as NpyData, c.shape);
}
