/**
 * Reading a finished `rte sweep` store in the browser: the Zarr format 2 layout the CLI writes (uncompressed
 * little-endian arrays in C order, one chunk per shard along the case axis; cli/sweep/zarr-v2.ts). Only what
 * a case view needs is read: the attributes, the array headers, the finished-shard markers, and the one
 * chunk that holds a picked case. Anything else (a compressor, another dtype) is refused by name.
 */

/** The store's files by path inside the store folder ("E/.zarray", ".sweep/done/3.json"). */
export interface StoreFiles {
  paths(): string[];
  read(path: string): Promise<Uint8Array | undefined>;
}

export interface ArrayMeta {
  shape: number[];
  chunks: number[];
  dtype: '<f8' | '<f4' | '<i4';
  dims: string[];
}

export interface SweepStore {
  files: StoreFiles;
  /** The store's `rte_sweep` attribute: the spec, its fingerprint, the layout. */
  attrs: {
    cases: number;
    shard_size: number;
    shards: number;
    params: string[];
    version: string;
    spec: unknown;
  };
  arrays: Record<string, ArrayMeta>;
  /** Finished shards, ascending; the others are missing (not run, or still running). */
  done: number[];
  /** Finished cases, ascending, with their parameter values (params[case]). */
  cases: { index: number; params: number[] }[];
}

export class SweepStoreError extends Error {
  override name = 'SweepStoreError';
}

const text = async (files: StoreFiles, path: string): Promise<string | undefined> => {
  const bytes = await files.read(path);
  return bytes && new TextDecoder().decode(bytes);
};

async function json(files: StoreFiles, path: string): Promise<any> {
  const t = await text(files, path);
  if (t === undefined) return undefined;
  try {
    return JSON.parse(t);
  } catch {
    throw new SweepStoreError(`${path} is not valid JSON: the store is damaged`);
  }
}

const DTYPES = ['<f8', '<f4', '<i4'];

async function arrayMeta(files: StoreFiles, name: string): Promise<ArrayMeta> {
  const z = await json(files, `${name}/.zarray`);
  if (z.zarr_format !== 2 || z.compressor !== null || z.order !== 'C' || !DTYPES.includes(z.dtype))
    throw new SweepStoreError(
      `${name}: an array this viewer cannot read (format ${z.zarr_format}, dtype ${z.dtype}, compressor ${JSON.stringify(z.compressor)}); it reads uncompressed format 2 arrays of <f8, <f4 or <i4 as rte sweep writes them`,
    );
  const attrs = (await json(files, `${name}/.zattrs`)) ?? {};
  return { shape: z.shape, chunks: z.chunks, dtype: z.dtype, dims: attrs._ARRAY_DIMENSIONS ?? [] };
}

/** Open a store: its attributes are checked, its finished shards and cases listed. */
export async function openSweepStore(files: StoreFiles): Promise<SweepStore> {
  const paths = files.paths();
  if (!paths.includes('.zgroup') || !paths.includes('.zattrs'))
    throw new SweepStoreError(
      'this folder is not a Zarr store (no .zgroup and .zattrs at its top): pick the folder rte sweep run --out made',
    );
  const attrs = (await json(files, '.zattrs'))?.rte_sweep;
  const ok =
    attrs &&
    typeof attrs.spec_sha256 === 'string' &&
    [attrs.cases, attrs.shard_size, attrs.shards].every(Number.isInteger) &&
    Array.isArray(attrs.params);
  if (!ok)
    throw new SweepStoreError(
      'this Zarr store was not made by rte sweep (its .zattrs has no valid rte_sweep attribute)',
    );
  const arrays: Record<string, ArrayMeta> = {};
  for (const p of paths) {
    const m = /^([^/]+)\/\.zarray$/.exec(p);
    if (m) arrays[m[1]!] = await arrayMeta(files, m[1]!);
  }
  if (!arrays.params) throw new SweepStoreError('the store has no params array: it is damaged');
  const done = paths
    .map((p) => /^\.sweep\/done\/(\d+)\.json$/.exec(p)?.[1])
    .filter((k): k is string => k !== undefined)
    .map(Number)
    .filter((k) => k < attrs.shards)
    .sort((a, b) => a - b);
  const store: SweepStore = { files, attrs, arrays, done, cases: [] };
  const P = attrs.params.length;
  for (const k of done) {
    const params = await readChunk(store, 'params', k);
    const lo = k * attrs.shard_size;
    const hi = Math.min(attrs.cases, lo + attrs.shard_size);
    for (let c = lo; c < hi; c++)
      store.cases.push({ index: c, params: Array.from(params.subarray((c - lo) * P, (c - lo + 1) * P)) });
  }
  return store;
}

/** Chunk k along the first axis (all of the other axes), decoded. */
async function readChunk(
  store: SweepStore,
  name: string,
  k: number,
): Promise<Float64Array | Float32Array | Int32Array> {
  const meta = store.arrays[name];
  if (!meta) throw new SweepStoreError(`the store has no array ${name}`);
  const key = [k, ...meta.chunks.slice(1).map(() => 0)].join('.');
  const bytes = await store.files.read(`${name}/${key}`);
  if (!bytes)
    throw new SweepStoreError(`${name}/${key} is missing: the store is damaged or still being written`);
  const size = meta.chunks.reduce((a, b) => a * b, 1);
  const width = meta.dtype === '<i4' ? 4 : Number(meta.dtype.slice(2));
  if (bytes.byteLength !== size * width)
    throw new SweepStoreError(
      `${name}/${key} holds ${bytes.byteLength} bytes, not ${size * width}: the store is damaged`,
    );
  // copy: the file's bytes need not be aligned for a typed-array view
  const buffer = bytes.slice().buffer;
  return meta.dtype === '<f8'
    ? new Float64Array(buffer)
    : meta.dtype === '<f4'
      ? new Float32Array(buffer)
      : new Int32Array(buffer);
}

/** Case c of an array whose first axis is the case: its values (C order over the other axes) and their shape. */
export async function readCase(
  store: SweepStore,
  name: string,
  c: number,
): Promise<{ shape: number[]; values: Float64Array }> {
  const meta = store.arrays[name];
  if (meta?.dims[0] !== 'case') throw new SweepStoreError(`${name} is not an array over the cases`);
  const per = meta.shape.slice(1).reduce((a, b) => a * b, 1);
  const k = Math.floor(c / meta.chunks[0]!);
  if (!store.done.includes(k))
    throw new SweepStoreError(`case ${c} is in shard ${k}, which has not finished`);
  const chunk = await readChunk(store, name, k);
  const i = c - k * meta.chunks[0]!;
  return { shape: meta.shape.slice(1), values: Float64Array.from(chunk.subarray(i * per, (i + 1) * per)) };
}

/** A whole one-chunk array (the coordinates x and t, a sparse Jacobian's rows and cols). */
export async function readWhole(store: SweepStore, name: string): Promise<Float64Array> {
  // a chunk is stored whole: an empty array (a Jacobian with no entries) still has one padded chunk
  return Float64Array.from((await readChunk(store, name, 0)).subarray(0, store.arrays[name]!.shape[0]));
}

/** Store files from a folder the browser's directory picker gave (paths start with the folder's name). */
export function filesOfFolder(list: ArrayLike<File>): StoreFiles {
  const byPath = new Map<string, File>();
  for (const f of Array.from(list)) {
    const rel = ((f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name)
      .split('/')
      .slice(1)
      .join('/');
    if (rel) byPath.set(rel, f);
  }
  return {
    paths: () => [...byPath.keys()],
    read: async (p) => {
      const f = byPath.get(p);
      return f && new Uint8Array(await f.arrayBuffer());
    },
  };
}
