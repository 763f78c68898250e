/** Independent checks that exported files are what they claim to be. */
import { parse as parseNpyjs } from 'npyjs';
import type { Page } from 'playwright-core';

/** PNG signature and IHDR size, then a real decode by the browser's image decoder. */
export async function decodePng(page: Page, bytes: Buffer): Promise<{ width: number; height: number }> {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!sig.every((b, i) => bytes[i] === b)) throw new Error('not a PNG: bad signature');
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const decoded = await page.evaluate(async (b64) => {
    // decode from bytes: fetch() of a data: URL would (rightly) be refused by the page's CSP
    const bin = atob(b64);
    const buf = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) buf[i] = bin.charCodeAt(i);
    const blob = new Blob([buf], { type: 'image/png' });
    const bmp = await createImageBitmap(blob);
    return { width: bmp.width, height: bmp.height };
  }, bytes.toString('base64'));
  if (decoded.width !== width || decoded.height !== height)
    throw new Error('PNG header and decoded size differ');
  return decoded;
}

/** Parse SVG text with the browser's XML parser; returns counts of a few element kinds. */
export async function parseSvg(page: Page, text: string) {
  return page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    if (doc.querySelector('parsererror'))
      throw new Error(`SVG does not parse: ${doc.querySelector('parsererror')?.textContent}`);
    const root = doc.documentElement;
    return {
      root: root.nodeName,
      namespace: root.namespaceURI,
      paths: doc.getElementsByTagName('path').length,
      texts: doc.getElementsByTagName('text').length,
      images: doc.getElementsByTagName('image').length,
    };
  }, text);
}

export function readNpy(bytes: Buffer): { shape: number[]; data: Float64Array } {
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const arr = parseNpyjs(ab);
  return { shape: arr.shape, data: Float64Array.from(arr.data as unknown as ArrayLike<number>) };
}

export function parseCsv(text: string): { header: string[]; rows: number[][] } {
  const lines = text.trim().split('\n');
  const header = lines[0]!.split(',');
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));
  return { header, rows };
}

/** Click the control that opens a file dialog and answer it with `file` (the web mode's upload). */
export async function chooseFile(page: Page, testId: string, file: string): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId(testId).click()]);
  await chooser.setFiles(file);
}
