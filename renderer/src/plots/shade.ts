/**
 * Shading a coloured field by a second one of the same shape (the E(x,t) map by |∂E/∂θ|): each pixel keeps its
 * colour, dimmed where the weight is small, so where an edit matters stands out.
 */

/** The floor of the brightness: a cell with no sensitivity keeps this share of its colour. */
export const SHADE_FLOOR = 0.2;

/** Brightness per cell, in [SHADE_FLOOR, 1]: |w| over the largest |w| (all 1 when w is all zero). */
export function shadeWeights(w: ArrayLike<number>): Float32Array {
  let max = 0;
  for (let i = 0; i < w.length; i++) max = Math.max(max, Math.abs(w[i]!));
  const out = new Float32Array(w.length).fill(1);
  if (!(max > 0 && Number.isFinite(max))) return out;
  for (let i = 0; i < w.length; i++) out[i] = SHADE_FLOOR + (1 - SHADE_FLOOR) * (Math.abs(w[i]!) / max);
  return out;
}

/** Dim RGBA bytes in place by the weights of `w` (one per pixel); alpha untouched. */
export function shadeRgba(rgba: Uint8Array, w: ArrayLike<number>): Uint8Array {
  if (w.length * 4 !== rgba.length)
    throw new Error(`shadeRgba: ${w.length} weights for ${rgba.length / 4} pixels (the shapes must match)`);
  const k = shadeWeights(w);
  for (let i = 0; i < w.length; i++)
    for (let c = 0; c < 3; c++) rgba[i * 4 + c] = Math.round(rgba[i * 4 + c]! * k[i]!);
  return rgba;
}
