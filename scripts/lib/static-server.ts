/**
 * A tiny static file server for the built renderer, bound to 127.0.0.1 only, sending the page's CSP (plus
 * frame-ancestors, which only a header can carry, and blob: workers, see SERVER_CSP) and refusing paths outside
 * its root.
 *
 * It answers every request and stays up: a malformed escape or URL gets 400, a path outside the root 403,
 * a missing file 404, a method other than GET/HEAD 405, a request line Node's parser refuses 400 (431 when the
 * head is too large), and an unexpected failure 500. Every answer, errors included, carries the security
 * headers; COOP + COEP make the page cross-origin isolated (SharedArrayBuffer, threads).
 */
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { type Duplex, pipeline } from 'node:stream';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

/**
 * The CSP of every response: it is the one the solver worker runs under (a worker takes its CSP from its own
 * response, not from the page's <meta>). worker-src adds blob: to the page's policy because COOP + COEP make the
 * page cross-origin isolated, so SharedArrayBuffer exists and gpu.js's webasm backend runs threaded, starting its
 * helper workers from a blob: URL of its own source; without blob: they fail and the solver falls back to eager.
 * Still no 'unsafe-eval': `new Function` stays blocked.
 */
export const SERVER_CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Sent on every response, errors included. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': SERVER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Referrer-Policy': 'no-referrer',
};

export interface Served {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The decoded path of a request target (origin-form `/a/b?q` or absolute-form `http://h/a/b`), or null when the
 * target is not a URL or holds a malformed percent-escape or a NUL byte.
 */
export function requestPath(target: string | undefined): string | null {
  let pathname: string;
  try {
    pathname = new URL(target ?? '/', 'http://127.0.0.1').pathname;
  } catch {
    return null;
  }
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  return path.includes('\0') ? null : path;
}

function reply(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  const body = `${text}\n`;
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** An answer written straight to the socket, for requests that never become a ServerResponse. */
function replyRaw(socket: Duplex, status: number, text: string, extra: Record<string, string> = {}): void {
  // as Node's own handler: never write into the middle of an answer already under way on this connection
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (!socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const body = `${text}\n`;
  const headers = {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    Connection: 'close',
    ...extra,
  };
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${head}\r\n${body}`);
}

async function handle(base: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    reply(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    return;
  }
  const path = requestPath(req.url);
  if (path === null) {
    reply(res, 400, 'bad request: malformed URL');
    return;
  }
  const file = normalize(join(base, path === '/' ? 'index.html' : path));
  if (file !== base && !file.startsWith(base + sep)) {
    reply(res, 403, 'forbidden');
    return;
  }
  let info: Stats | null = null;
  try {
    info = await stat(file);
  } catch {
    // missing, or not reachable (ENOTDIR, ENAMETOOLONG, ELOOP, EACCES…): all the same to the client
  }
  if (!info?.isFile()) {
    reply(res, 404, 'not found');
    return;
  }
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // A file removed or unreadable since the stat, or a client gone mid-transfer: drop the connection, close the file.
  pipeline(createReadStream(file), res, () => {});
}

export async function serveStatic(root: string, port = 0): Promise<Served> {
  const base = resolve(root);
  const index = await stat(join(base, 'index.html')).catch(() => null);
  if (!index?.isFile()) throw new Error(`${root} has no index.html: build the renderer first`);
  const server: Server = createServer((req, res) => {
    handle(base, req, res).catch(() => {
      if (!res.headersSent) reply(res, 500, 'internal error');
      else res.destroy();
    });
  });
  // Requests Node's parser refuses (bad request line, bad header, head too large) never reach the handler.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE') socket.destroy();
    else if (err.code === 'HPE_HEADER_OVERFLOW') replyRaw(socket, 431, 'request header fields too large');
    else replyRaw(socket, 400, 'bad request');
  });
  // CONNECT is parsed as a tunnel request; without this listener Node drops the socket without an answer.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    replyRaw(socket, 405, 'method not allowed', { Allow: 'GET, HEAD' });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actual}/`,
    port: actual,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
