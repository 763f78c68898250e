import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_CSP, type Served, serveStatic } from '../../scripts/lib/static-server';

let dir: string;
let served: Served;

/** A raw GET (fetch would normalise away the ../ segments we want to send). */
function get(
  path: string,
  method = 'GET',
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: served.port, path, method }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.setTimeout(5_000, () => req.destroy(new Error(`no answer to ${method} ${path}`)));
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rte-serve-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(dir, 'assets', 'a.js'), 'export {}');
  writeFileSync(join(tmpdir(), 'rte-serve-secret.txt'), 'secret');
  served = await serveStatic(dir);
});

afterAll(async () => {
  await served.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the web-mode static server', () => {
  it('binds to 127.0.0.1 and serves the build with the CSP', async () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toBe(SERVER_CSP);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    // the page's CSP, with blob: workers for gpu.js's threads and nothing looser
    const directives = Object.fromEntries(
      SERVER_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    expect(directives['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives['worker-src']).toEqual(["'self'", 'blob:']);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(SERVER_CSP).not.toMatch(/(?<!wasm-)unsafe-eval|unsafe-inline|https?:|\*/);
    // cross-origin isolated (SharedArrayBuffer, threads)
    expect(index.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(index.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect((await get('/assets/a.js')).headers['content-type']).toMatch(/javascript/);
  });

  it('refuses paths outside its root, unknown files, other methods and malformed URLs', async () => {
    expect((await get('/../rte-serve-secret.txt')).body).not.toBe('secret');
    expect((await get('/%2e%2e/rte-serve-secret.txt')).status).toBe(404); // folded into the root by URL parsing
    expect((await get('/..%2Frte-serve-secret.txt')).status).toBe(403); // an encoded slash must not escape
    expect((await get('/missing.js')).status).toBe(404);
    expect((await get('/', 'POST')).status).toBe(405);
    for (const path of ['/%ZZ', '/%', '/%E0%A4%A', '/a%00b', 'http://[/']) {
      const r = await get(path);
      expect(r.status, path).toBe(400);
      expect(r.body, path).toMatch(/^bad request/);
    }
    for (const path of ['/missing.js', '/..%2Frte-serve-secret.txt', '/%ZZ']) {
      const { headers } = await get(path);
      expect(headers['content-security-policy'], path).toBe(SERVER_CSP);
      expect(headers['x-content-type-options'], path).toBe('nosniff');
      expect(headers['cross-origin-embedder-policy'], path).toBe('require-corp');
    }
  });
});
