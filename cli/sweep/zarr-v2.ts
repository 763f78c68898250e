/**
 * A small writer of Zarr format 2 directory stores: groups, uncompressed little-endian float arrays in C order,
 * chunks written whole under a temporary name and renamed, so a reader (or a resumed run) never sees half a
 * chunk. Format 2 because Debian 12's python3-zarr (2.13) and xarray read it; zarrita, the JavaScript Zarr
 * library, creates format 3 only.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

export type ZarrDType = 'float64' | 'float32' | 'int32';
const DTYPE_CODE: Record<ZarrDType, string> = { float64: '<f8', float32: '<f4', int32: '<i4' };

export interface ZarrArraySpec {
  shape: readonly number[];
  chunks: readonly number[];
  dtype: ZarrDType;
  /** Names of the dimensions, written as xarray's `_ARRAY_DIMENSIONS` attribute. */
  dims: readonly string[];
  /** More attributes of the array. */
  attrs?: Record<string, unknown>;
}

const writeJson = (path: string, value: unknown) =>
  writeFileAtomic(path, Buffer.from(`${JSON.stringify(value, null, 2)}\n`));

/** Write `bytes` under a temporary name beside `path`, then rename: `path` is either absent or whole. */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const temp = `${path}.${process.pid}-${threadId}.partial`;
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, path);
  } catch (e) {
    if (existsSync(temp)) unlinkSync(temp);
    throw e;
  }
}

/** Remove temporary files a killed writer left in `dir` (optionally only those whose name starts with `prefix`). */
export function removePartials(dir: string, prefix = ''): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir))
    if (name.startsWith(prefix) && name.endsWith('.partial')) unlinkSync(join(dir, name));
}

export function createGroup(dir: string, attrs: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true });
  writeJson(join(dir, '.zgroup'), { zarr_format: 2 });
  writeJson(join(dir, '.zattrs'), attrs);
}

export const readAttrs = (dir: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(dir, '.zattrs'), 'utf8'));

export function createArray(group: string, name: string, spec: ZarrArraySpec): void {
  const dir = join(group, name);
  mkdirSync(dir, { recursive: true });
  writeJson(join(dir, '.zarray'), {
    zarr_format: 2,
    shape: spec.shape,
    chunks: spec.chunks,
    dtype: DTYPE_CODE[spec.dtype],
    compressor: null,
    fill_value: spec.dtype === 'int32' ? 0 : 'NaN',
    order: 'C',
    filters: null,
    dimension_separator: '.',
  });
  writeJson(join(dir, '.zattrs'), { _ARRAY_DIMENSIONS: spec.dims, ...spec.attrs });
}

/**
 * Write one chunk: `data` holds the chunk's leading rows in C order (fewer than the chunk's size at the end of
 * the first axis); the rest of the chunk is padded with NaN (0 for integers), as format 2 stores edge chunks whole.
 */
export function writeChunk(
  group: string,
  name: string,
  index: readonly number[],
  spec: ZarrArraySpec,
  data: Float64Array | Float32Array | Int32Array,
): void {
  const size = spec.chunks.reduce((a, b) => a * b, 1);
  if (data.length > size)
    throw new Error(`chunk ${name}/${index.join('.')}: ${data.length} > ${size} values`);
  const chunk =
    spec.dtype === 'float64'
      ? new Float64Array(size)
      : spec.dtype === 'float32'
        ? new Float32Array(size)
        : new Int32Array(size);
  chunk.fill(spec.dtype === 'int32' ? 0 : Number.NaN);
  chunk.set(data);
  // typed arrays are little-endian on every platform Node runs on (x86-64, arm64)
  writeFileAtomic(join(group, name, index.join('.')), new Uint8Array(chunk.buffer));
}
