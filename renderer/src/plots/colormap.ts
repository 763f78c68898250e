/** Colormaps: viridis for magnitudes, a blue-white-red diverging map centred at zero for signed fields. */

export type Rgb = [number, number, number];

// Viridis sampled at 9 stops (matplotlib's values), interpolated linearly in between.
const VIRIDIS: Rgb[] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

// RdBu reversed (blue for negative, red for positive), 9 stops, white in the middle.
const DIVERGING: Rgb[] = [
  [5, 48, 97],
  [33, 102, 172],
  [67, 147, 195],
  [146, 197, 222],
  [247, 247, 247],
  [244, 165, 130],
  [214, 96, 77],
  [178, 24, 43],
  [103, 0, 31],
];

export type ColormapName = 'viridis' | 'diverging';

function lerpStops(stops: Rgb[], t: number): Rgb {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(u));
  const f = u - k;
  const a = stops[k]!;
  const b = stops[k + 1]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

export function colour(name: ColormapName, t: number): Rgb {
  return lerpStops(name === 'viridis' ? VIRIDIS : DIVERGING, t);
}

export interface Range {
  min: number;
  max: number;
}

/** Data range; a diverging range is symmetric about zero so zero sits on white. */
export function rangeOf(values: ArrayLike<number>, name: ColormapName): Range {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) return { min: 0, max: 1 };
  if (name === 'diverging') {
    const m = Math.max(Math.abs(min), Math.abs(max)) || 1;
    return { min: -m, max: m };
  }
  if (min === max) return { min: min - 0.5, max: max + 0.5 };
  return { min, max };
}

/** RGBA bytes for a row-major field, row 0 first. */
export function toRgba(values: ArrayLike<number>, name: ColormapName, range: Range): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const span = range.max - range.min || 1;
  for (let i = 0; i < values.length; i++) {
    const [r, g, b] = colour(name, (values[i]! - range.min) / span);
    out[i * 4] = r;
    out[i * 4 + 1] = g;
    out[i * 4 + 2] = b;
    out[i * 4 + 3] = 255;
  }
  return out;
}

export function cssColour(name: ColormapName, t: number): string {
  const [r, g, b] = colour(name, t);
  return `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;
}

/** "Nice" ticks covering [min, max]. */
export function ticks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(3) : Number(v.toPrecision(4)).toString();
}
