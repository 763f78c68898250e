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
  putRowsBottomUp(canvas.getContext('2d')!, toRgba(f.values, cmap, range), f.cols, f.rows);
  return canvas.toDataURL('image/png');
}

export function fieldRange(f: Field2D, cmap: ColormapName): Range {
  return rangeOf(f.values, cmap);
}

/** Rows of RGBA pixels into `ctx` at one pixel per cell, the first row at the bottom. */
export function putRowsBottomUp(ctx: CanvasRenderingContext2D, rgba: Uint8Array, cols: number, rows: number) {
  const img = ctx.createImageData(cols, rows);
  for (let r = 0; r < rows; r++)
    img.data.set(rgba.subarray(r * cols * 4, (r + 1) * cols * 4), (rows - 1 - r) * cols * 4);
  ctx.putImageData(img, 0, 0);
}
