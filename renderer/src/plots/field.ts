/** A field sampled on a grid of rows × cols (row 0 = the first record, drawn at the bottom). */
import { type ColormapName, type Range, rangeOf, toRgba } from './colormap';

export interface Field2D {
  rows: number;
  cols: number;
  values: Float64Array;
}

/** The PNG data URL of a field at one pixel per sample, first row at the bottom. */
export function fieldPng(f: Field2D, cmap: ColormapName, range: Range): string {
  const canvas = document.createElement('canvas');
  canvas.width = f.cols;
  canvas.height = f.rows;
  const ctx = canvas.getContext('2d')!;
  const rgba = toRgba(f.values, cmap, range);
  const img = ctx.createImageData(f.cols, f.rows);
  for (let r = 0; r < f.rows; r++)
    img.data.set(rgba.subarray(r * f.cols * 4, (r + 1) * f.cols * 4), (f.rows - 1 - r) * f.cols * 4);
  ctx.putImageData(img, 0, 0);
  return canvas.toDataURL('image/png');
}

export function fieldRange(f: Field2D, cmap: ColormapName): Range {
  return rangeOf(f.values, cmap);
}
