/**
 * A first look at a .npy header — dtype, shape, where the data starts — from the file's first bytes, so a
 * file of the wrong shape or size is refused before its data is read. Only the plain headers NumPy writes
 * are recognised here; anything else returns null and the full parser (core/io/npy) then says what is wrong.
 */
export interface NpyHeader {
  dtype: 'float64' | 'float32' | 'int32';
  shape: number[];
  dataOffset: number;
  dataBytes: number;
}

const DESCR: Record<string, { dtype: NpyHeader['dtype']; bytes: number }> = {
  '<f8': { dtype: 'float64', bytes: 8 },
  '<f4': { dtype: 'float32', bytes: 4 },
  '<i4': { dtype: 'int32', bytes: 4 },
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function peekNpyHeader(head: Uint8Array): NpyHeader | null {
  if (head.length < 12 || MAGIC.some((b, i) => head[i] !== b)) return null;
  const major = head[6]!;
  if (major < 1 || major > 3) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const start = major === 1 ? 10 : 12;
  const length = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (start + length > head.length) return null;
  const text = new TextDecoder('latin1').decode(head.subarray(start, start + length));
  const descr = DESCR[/'descr'\s*:\s*'([^']*)'/.exec(text)?.[1] ?? ''];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (!descr || shapeText === undefined) return null;
  const parts = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!parts.every((p) => /^\d+$/.test(p))) return null;
  const shape = parts.map(Number);
  const dataBytes = shape.reduce((a, b) => a * b, 1) * descr.bytes;
  return { dtype: descr.dtype, shape, dataOffset: start + length, dataBytes };
}
