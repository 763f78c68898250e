/**
 * The security settings of the desktop shell in one place (Electron's security checklist): hardened web
 * preferences, the Content-Security-Policy, and the rules for which URLs and senders are trusted.
 */
import { normalize, resolve, sep } from 'node:path';

/** The renderer is served from a privileged custom scheme, never from file:// or the network. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://workbench`;
export const APP_INDEX = `${APP_ORIGIN}/index.html`;

// One literal string, so static checkers (electronegativity) can read it.
export const CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Only the app's own origin (or, in development, the local dev server) may be loaded or send IPC. */
export function isTrustedUrl(url: string, devServerUrl?: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === `${APP_SCHEME}:` && u.host === 'workbench') return true;
  if (devServerUrl) {
    const dev = new URL(devServerUrl);
    return u.origin === dev.origin && (dev.hostname === 'localhost' || dev.hostname === '127.0.0.1');
  }
  return false;
}

/** Response headers with the CSP (and no-sniff) enforced, whatever the server sent. */
export function withSecurityHeaders(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {}))
    if (k.toLowerCase() !== 'content-security-policy') out[k] = v;
  out['Content-Security-Policy'] = [CSP];
  out['X-Content-Type-Options'] = ['nosniff'];
  return out;
}

/** Map app://workbench/<path> to a file under root; null for anything that escapes it. */
export function resolveAppFile(root: string, requestUrl: string): string | null {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== 'workbench') return null;
  const base = resolve(root);
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname === '/' ? '/index.html' : u.pathname);
  } catch {
    return null; // a malformed escape (%ZZ) names no file
  }
  const file = normalize(resolve(base, `.${rel}`));
  return file.startsWith(base + sep) ? file : null;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
  wasm: 'application/wasm',
};

export function mimeType(file: string): string {
  return TYPES[file.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}
