/** Standalone SVG figures (exported as real vector files) and their rasterisation to PNG. */
import { type ColormapName, cssColour, formatValue, type Range, ticks } from './colormap';

export const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface MapFigure {
  title: string;
  xLabel: string;
  yLabel: string;
  xRange: [number, number];
  yRange: [number, number];
  /** PNG data URL of the field, first row at the bottom. */
  image: string;
  cmap: ColormapName;
  range: Range;
  valueLabel: string;
}

/** A colour map with axes, ticks and a legend; the field is an embedded image, everything else is vector. */
export function mapFigureSvg(f: MapFigure): string {
  const W = 640;
  const H = 400;
  const m = { l: 60, r: 110, t: 34, b: 48 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const sx = (v: number) => m.l + ((v - f.xRange[0]) / (f.xRange[1] - f.xRange[0] || 1)) * pw;
  const sy = (v: number) => m.t + ph - ((v - f.yRange[0]) / (f.yRange[1] - f.yRange[0] || 1)) * ph;
  const parts: string[] = [];
  parts.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  parts.push(
    `<text x="${W / 2 - m.r / 2}" y="22" text-anchor="middle" font-size="15" font-family="sans-serif">${esc(f.title)}</text>`,
  );
  parts.push(
    `<image x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" preserveAspectRatio="none" image-rendering="optimizeSpeed" href="${f.image}"/>`,
  );
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  parts.push(...axisTicks(f.xRange, f.yRange, sx, sy, m.t + ph, m.l));
  parts.push(
    `<text x="${m.l + pw / 2}" y="${H - 10}" text-anchor="middle" font-size="13" font-family="sans-serif">${esc(f.xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(16 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle" font-size="13" font-family="sans-serif">${esc(f.yLabel)}</text>`,
  );
  parts.push(legendSvg(W - m.r + 24, m.t, 18, ph, f.cmap, f.range, f.valueLabel));
  return wrapSvg(W, H, parts.join(''));
}

function axisTicks(
  xr: [number, number],
  yr: [number, number],
  sx: (v: number) => number,
  sy: (v: number) => number,
  bottom: number,
  left: number,
): string[] {
  const out: string[] = [];
  for (const v of ticks(xr[0], xr[1], 5)) {
    const x = sx(v);
    out.push(`<line x1="${x}" x2="${x}" y1="${bottom}" y2="${bottom + 5}" stroke="#333"/>`);
    out.push(
      `<text x="${x}" y="${bottom + 18}" text-anchor="middle" font-size="11" font-family="sans-serif">${formatValue(v)}</text>`,
    );
  }
  for (const v of ticks(yr[0], yr[1], 5)) {
    const y = sy(v);
    out.push(`<line x1="${left - 5}" x2="${left}" y1="${y}" y2="${y}" stroke="#333"/>`);
    out.push(
      `<text x="${left - 8}" y="${y + 4}" text-anchor="end" font-size="11" font-family="sans-serif">${formatValue(v)}</text>`,
    );
  }
  return out;
}

export function legendSvg(
  x: number,
  y: number,
  w: number,
  h: number,
  cmap: ColormapName,
  range: Range,
  label: string,
): string {
  const steps = 64;
  const out: string[] = [];
  for (let k = 0; k < steps; k++) {
    const t = (k + 0.5) / steps;
    const yy = y + h - ((k + 1) / steps) * h;
    out.push(
      `<rect x="${x}" y="${yy}" width="${w}" height="${h / steps + 0.5}" fill="${cssColour(cmap, t)}"/>`,
    );
  }
  out.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="none" stroke="#333"/>`);
  const span = range.max - range.min || 1;
  for (const v of ticks(range.min, range.max, 5)) {
    const yy = y + h - ((v - range.min) / span) * h;
    out.push(`<line x1="${x + w}" x2="${x + w + 4}" y1="${yy}" y2="${yy}" stroke="#333"/>`);
    out.push(
      `<text x="${x + w + 6}" y="${yy + 4}" font-size="10" font-family="sans-serif">${formatValue(v)}</text>`,
    );
  }
  out.push(`<text x="${x}" y="${y - 8}" font-size="11" font-family="sans-serif">${esc(label)}</text>`);
  return out.join('');
}

export function wrapSvg(W: number, H: number, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${body}</svg>\n`;
}

/** Serialise an on-screen <svg> element as a standalone file. */
export function serialiseSvg(el: SVGSVGElement): string {
  const clone = el.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const { width, height } = el.getBoundingClientRect();
  if (!clone.getAttribute('width')) clone.setAttribute('width', String(Math.round(width)));
  if (!clone.getAttribute('height')) clone.setAttribute('height', String(Math.round(height)));
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}\n`;
}

/** Rasterise SVG text to PNG bytes at `scale` × its size. */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(img.width * scale);
    canvas.height = Math.round(img.height * scale);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob>((res, rej) =>
      canvas.toBlob((b) => (b ? res(b) : rej(new Error('PNG encoding failed'))), 'image/png'),
    );
    return new Uint8Array(await blob.arrayBuffer());
  } finally {
    URL.revokeObjectURL(url);
  }
}
