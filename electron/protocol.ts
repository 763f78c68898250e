/**
 * Responses of the app:// scheme. Electron does not call session.webRequest.onHeadersReceived for a custom
 * protocol's responses, so the security headers are set here, on every response the handler returns — the
 * page, its scripts and the solver worker's script all get the CSP (which is what keeps eval out of the
 * worker), nosniff, and COOP/COEP (cross-origin isolation, as the web server sends).
 */
import { FileRefusedError, readRegularFile } from './files';
import { CSP, mimeType, resolveAppFile } from './security';

export const APP_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The largest file of the built renderer served (the bundles are a few MiB). */
const MAX_ASSET_BYTES = 64 * 1024 ** 2;

export type ReadAsset = (path: string, maxBytes: number) => Promise<Uint8Array>;

/** Answer one app:// request from the renderer's build folder; errors are responses too, with the headers. */
export async function appResponse(
  root: string,
  url: string,
  read: ReadAsset = readRegularFile,
): Promise<Response> {
  const notFound = () =>
    new Response('not found', { status: 404, headers: { ...APP_HEADERS, 'content-type': 'text/plain' } });
  const file = resolveAppFile(root, url);
  if (!file) return notFound();
  try {
    const body = await read(file, MAX_ASSET_BYTES);
    return new Response(body as Uint8Array<ArrayBuffer>, {
      headers: { ...APP_HEADERS, 'content-type': mimeType(file) },
    });
  } catch (e) {
    if (e instanceof FileRefusedError || (e as NodeJS.ErrnoException).code) return notFound();
    throw e;
  }
}
