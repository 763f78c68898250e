/** .npy version 1.0 writing and reading (float64/float32, little endian, C order) for the browser. */

export interface NpyArray {
  shape: number[];
  dtype: 'float64' | 'float32';
  data: Float64Array | Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

export function writeNpy(data: Float64Array | Float32Array, shape: readonly number[]): Uint8Array {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length)
    throw new Error(`npy: shape [${shape}] holds ${size} values, data has ${data.length}`);
  const descr = data instanceof Float64Array ? '<f8' : '<f4';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Pad with spaces so magic + version + length + header (+ newline) is a multiple of 64 bytes.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64);
  header += '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const body = new DataView(out.buffer, 10 + header.length);
  const f64 = data instanceof Float64Array;
  for (let i = 0; i < data.length; i++)
    if (f64) body.setFloat64(i * 8, data[i]!, true);
    else body.setFloat32(i * 4, data[i]!, true);
  return out;
}

export function readNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m))
    throw new Error('not a .npy file (bad magic bytes)');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new Error('.npy header is malformed');
  if (fortran === 'True') throw new Error('.npy in Fortran order is not supported (save it in C order)');
  const dtype = descr === '<f8' ? 'float64' : descr === '<f4' ? 'float32' : null;
  if (!dtype) throw new Error(`.npy dtype ${descr} is not supported (use little-endian float64 or float32)`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const size = shape.reduce((a, b) => a * b, 1);
  const width = dtype === 'float64' ? 8 : 4;
  const offset = start + headerLen;
  if (bytes.length - offset < size * width)
    throw new Error(`.npy is truncated: shape [${shape}] needs ${size * width} bytes of data`);
  const data = dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
  for (let i = 0; i < size; i++)
    data[i] =
      dtype === 'float64' ? view.getFloat64(offset + i * 8, true) : view.getFloat32(offset + i * 4, true);
  return { shape, dtype, data };
}
