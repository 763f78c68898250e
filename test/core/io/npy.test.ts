import { describe, expect, it } from 'vitest';
import { tensor } from '../../../core';
import {
  decodeNpy,
  encodeNpy,
  encodeNpyArray,
  NpyError,
  parseNpy,
  parseNpyHeader,
} from '../../../core/io/npy';
import { loadReference } from '../../helpers/reference';

/** A hand-made version-1.0 .npy: header dict text padded to 64 bytes, then raw data bytes. */
function npyBytes(dict: string, data: Uint8Array): Uint8Array {
  let header = dict;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += `${' '.repeat(pad % 64)}\n`;
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

const f64 = (values: number[]) => new Uint8Array(Float64Array.from(values).buffer);
const dict = (descr: string, shape: string, fortran = 'False') =>
  `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;

describe('encodeNpy / parseNpy round trip', () => {
  it.each([
    ['float64', [1.5, -2.25, 1e-300, Math.PI, 0, -0, 7, 8]],
    ['float32', [1.5, -2.25, 3.0000001, 0, 1e30, -7, 5, 6]],
    ['int32', [1, -2, 2147483647, -2147483648, 0, 5, 6, 7]],
  ] as const)('%s keeps dtype, shape [2,4] and every bit', (dtype, values) => {
    const t = tensor(Float64Array.from(values), { shape: [2, 4], dtype });
    const back = parseNpy(encodeNpy(t), 'roundtrip.npy');
    expect(back.dtype).toBe(dtype);
    expect(back.shape).toEqual([2, 4]);
    expect(Array.from(back.data)).toEqual(Array.from(t.data));
    expect(Object.is(back.data[5], t.data[5])).toBe(true); // -0 survives in float64
  });

  it('writes a header NumPy reads: descr, C order, 1-tuple shape with a trailing comma', () => {
    const bytes = encodeNpy(tensor([1, 2, 3]));
    const header = new TextDecoder('latin1').decode(bytes.subarray(10, 10 + bytes[8]!));
    expect(header).toMatch(/'descr':\s*'<f8'/);
    expect(header).toMatch(/'fortran_order':\s*False/);
    expect(header).toMatch(/'shape':\s*\(3,\)/);
    expect((10 + bytes[8]!) % 8).toBe(0); // data aligned for float64
  });

  it('handles a 0-d tensor and an empty tensor', () => {
    const s = parseNpy(encodeNpy(tensor(Float64Array.of(2.5), { shape: [] })));
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(2.5);
    const e = parseNpy(encodeNpy(tensor(new Float32Array(0), { shape: [0, 3] })));
    expect(e.shape).toEqual([0, 3]);
    expect(e.dtype).toBe('float32');
  });

  it('reads a NumPy-written reference file and a Buffer-style view at an offset', () => {
    const theta = loadReference('theta_f64');
    expect(theta.shape).toEqual([2]);
    expect(theta.toArray()).toEqual([1 + Math.sin(1), Math.sin(2)]);
    const bytes = npyBytes(dict('<f8', '(3,)'), f64([4, 5, 6]));
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect(parseNpy(padded.subarray(3)).toArray()).toEqual([4, 5, 6]);
    expect(parseNpy(bytes.slice().buffer).toArray()).toEqual([4, 5, 6]);
  });
});

describe('parseNpy with acceptFortranOrder', () => {
  it('reads column-major data as the same array in C order', () => {
    // [[1,2,3],[4,5,6]] stored column by column
    const m = parseNpy(npyBytes(dict('<f8', '(2, 3)', 'True'), f64([1, 4, 2, 5, 3, 6])), 'm.npy', {
      acceptFortranOrder: true,
    });
    expect(m.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    // a [2,2,2] cube: element [i,j,k] sits at i + 2j + 4k
    const cube = parseNpy(
      npyBytes(dict('<f8', '(2, 2, 2)', 'True'), f64([0, 1, 2, 3, 4, 5, 6, 7])),
      'c.npy',
      {
        acceptFortranOrder: true,
      },
    );
    expect(cube.get(1, 0, 1).item()).toBe(1 + 4);
    expect(cube.get(0, 1, 1).item()).toBe(2 + 4);
    expect(Array.from(cube.toTypedArray())).toEqual([0, 4, 2, 6, 1, 5, 3, 7]);
  });
});

describe('parseNpy rejects what it cannot read, naming the file and the problem', () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['bad magic', new TextEncoder().encode('PK\x03\x04 this is a zip, not an npy file'), /not a \.npy file/],
    ['empty input', new Uint8Array(0), /not a \.npy file/],
    ['Fortran order', npyBytes(dict('<f8', '(2, 2)', 'True'), f64([1, 2, 3, 4])), /Fortran.*allowed:/],
    ['big-endian', npyBytes(dict('>f8', '(2,)'), f64([1, 2])), /big-endian.*'>f8'.*allowed:/],
    ['int64', npyBytes(dict('<i8', '(2,)'), f64([1, 2])), /unsupported dtype '<i8'.*allowed:/],
    ['float16', npyBytes(dict('<f2', '(4,)'), f64([1])), /unsupported dtype '<f2'/],
    ['bool', npyBytes(dict('|b1', '(8,)'), f64([1])), /unsupported dtype '\|b1'/],
    [
      'structured dtype',
      npyBytes("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", f64([1])),
      /no simple 'descr'/,
    ],
    [
      'truncated data',
      npyBytes(dict('<f8', '(4,)'), f64([1, 2, 3])),
      /truncated data: shape \[4\] of float64 needs 32 bytes, the file holds 24/,
    ],
    ['extra data', npyBytes(dict('<f8', '(2,)'), f64([1, 2, 3])), /8 unexpected bytes after the data/],
    [
      'truncated header',
      npyBytes(dict('<f8', '(2,)'), f64([1, 2])).subarray(0, 40),
      /truncated \.npy header/,
    ],
    ['malformed shape', npyBytes(dict('<f8', '(2, n)'), f64([1, 2])), /malformed shape/],
    ['no shape', npyBytes("{'descr': '<f8', 'fortran_order': False, }", f64([1])), /no 'shape'/],
    [
      'version 9',
      (() => {
        const b = npyBytes(dict('<f8', '(1,)'), f64([1]));
        b[6] = 9;
        return b;
      })(),
      /unsupported \.npy format version 9/,
    ],
  ];
  it.each(cases)('%s', (_, bytes, message) => {
    let err: unknown;
    try {
      parseNpy(bytes, 'inputs/sigma.npy');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NpyError);
    expect((err as Error).message).toMatch(/^inputs\/sigma\.npy: /);
    expect((err as Error).message).toMatch(message);
  });

  it('defaults the name to "file"', () => {
    expect(() => parseNpy(new Uint8Array(3))).toThrow(/^file: not a \.npy file/);
  });

  it('encodeNpy refuses bool tensors, saying what is allowed', () => {
    expect(() => encodeNpy(tensor([true, false]))).toThrow(/cannot write dtype bool.*allowed:/);
  });
});

describe('encodeNpyArray / decodeNpy (typed arrays, for the workbench)', () => {
  it('round-trips float64 and float32 arrays, the data aligned to its 8-byte items', () => {
    const data = Float64Array.from({ length: 24 }, (_, i) => i / 7);
    const bytes = encodeNpyArray(data, [2, 3, 4]);
    const headerLen = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLen) % 8).toBe(0);
    const back = decodeNpy(bytes, 'E.npy');
    expect(back.dtype).toBe('float64');
    expect(back.shape).toEqual([2, 3, 4]);
    expect(Array.from(back.data)).toEqual(Array.from(data));
    const f32 = decodeNpy(encodeNpyArray(new Float32Array([1, 2.5]), [2]));
    expect(f32.dtype).toBe('float32');
    expect(Array.from(f32.data)).toEqual([1, 2.5]);
  });

  it('refuses a shape that does not hold the data, and bad bytes with the file name', () => {
    expect(() => encodeNpyArray(new Float64Array(5), [2, 3])).toThrow(
      /shape \[2,3\] holds 6 values, the data has 5/,
    );
    expect(() => decodeNpy(new Uint8Array(20), 'sigma.npy')).toThrow(/^sigma\.npy: not a \.npy file/);
  });

  it('refuses Fortran-order data (a profile import has no use for it)', () => {
    const bytes = npyBytes(dict('<f8', '(2, 2)', 'True'), f64([1, 2, 3, 4]));
    expect(() => decodeNpy(bytes, 'a.npy')).toThrow(/Fortran/);
  });
});

describe('parseNpyHeader (a reader checks shape and size before the data)', () => {
  it('reads the header from the first bytes alone', () => {
    const bytes = encodeNpyArray(new Float32Array(1000), [10, 100]);
    const h = parseNpyHeader(bytes.subarray(0, 128), 'big.npy');
    expect(h).toEqual({
      dtype: 'float32',
      shape: [10, 100],
      dataOffset: bytes.length - 4000,
      dataBytes: 4000,
      fortranOrder: false,
    });
  });

  it('says when the first bytes do not hold the whole header', () => {
    const bytes = encodeNpyArray(new Float64Array(4), [4]);
    expect(() => parseNpyHeader(bytes.subarray(0, 20), 'x.npy')).toThrow(/^x\.npy: truncated \.npy header/);
  });
});
