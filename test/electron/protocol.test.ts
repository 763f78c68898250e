/** app:// responses carry the security headers themselves (onHeadersReceived is not called for them). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_HEADERS, appResponse } from '../../electron/protocol';
import { CSP } from '../../electron/security';

const root = mkdtempSync(join(tmpdir(), 'rte-app-'));
mkdirSync(join(root, 'assets'));
writeFileSync(join(root, 'index.html'), '<!doctype html>');
writeFileSync(join(root, 'assets', 'solver.worker.js'), 'self.onmessage = null;');
mkdirSync(join(root, 'assets', 'dir.js'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const headersOf = (r: Response) => Object.fromEntries([...r.headers].map(([k, v]) => [k.toLowerCase(), v]));

describe('app:// protocol responses', () => {
  it.each(['app://workbench/index.html', 'app://workbench/', 'app://workbench/assets/solver.worker.js'])(
    '%s has the CSP, nosniff and cross-origin isolation headers',
    async (url) => {
      const r = await appResponse(root, url);
      expect(r.status).toBe(200);
      expect(headersOf(r)).toMatchObject({
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      });
      expect(CSP).toMatch(/script-src 'self' 'wasm-unsafe-eval';/); // no 'unsafe-eval': the worker gets no eval
    },
  );

  it.each([
    'app://workbench/missing.js',
    'app://workbench/%ZZ',
    'app://workbench/%E0%A4%A',
    'app://workbench/..%2f..%2fetc/passwd',
    'app://workbench/assets/dir.js',
    'app://other/index.html',
  ])('%s is a 404 with the same headers, never a thrown error', async (url) => {
    const r = await appResponse(root, url);
    expect(r.status).toBe(404);
    expect(headersOf(r)).toMatchObject({ 'content-security-policy': APP_HEADERS['Content-Security-Policy'] });
  });

  it('serves JavaScript with its type, so nosniff lets it run', async () => {
    const r = await appResponse(root, 'app://workbench/assets/solver.worker.js');
    expect(r.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await r.text()).toBe('self.onmessage = null;');
  });
});
