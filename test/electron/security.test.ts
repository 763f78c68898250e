import { describe, expect, it } from 'vitest';
import {
  APP_INDEX,
  CSP,
  isTrustedUrl,
  mimeType,
  resolveAppFile,
  withSecurityHeaders,
} from '../../electron/security';

describe('electron security settings', () => {
  it('the CSP allows only the app itself', () => {
    const directives = Object.fromEntries(
      CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    expect(directives['default-src']).toEqual(["'none'"]);
    // WebAssembly compilation (gpu.js's webasm kernels) but no JavaScript eval
    expect(directives['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(CSP).not.toMatch(/(?<!wasm-)unsafe-eval|unsafe-inline|https?:|\*/);
  });

  it('the CSP header replaces whatever the server sent', () => {
    const h = withSecurityHeaders({ 'content-security-policy': ['default-src *'], 'x-other': ['1'] });
    expect(h['Content-Security-Policy']).toEqual([CSP]);
    expect(h['content-security-policy']).toBeUndefined();
    expect(h['x-other']).toEqual(['1']);
    expect(withSecurityHeaders(undefined)['X-Content-Type-Options']).toEqual(['nosniff']);
  });

  it('trusts only the app origin and a local dev server', () => {
    expect(isTrustedUrl(APP_INDEX)).toBe(true);
    expect(isTrustedUrl('app://workbench/assets/x.js')).toBe(true);
    expect(isTrustedUrl('app://evil/index.html')).toBe(false);
    expect(isTrustedUrl('https://example.com/')).toBe(false);
    expect(isTrustedUrl('file:///etc/passwd')).toBe(false);
    expect(isTrustedUrl('not a url')).toBe(false);
    expect(isTrustedUrl('http://localhost:5173/', 'http://localhost:5173/')).toBe(true);
    expect(isTrustedUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isTrustedUrl('http://example.com:5173/', 'http://example.com:5173/')).toBe(false);
  });

  it('serves only files under the renderer root', () => {
    expect(resolveAppFile('/r', 'app://workbench/')).toBe('/r/index.html');
    expect(resolveAppFile('/r', 'app://workbench/assets/a.js')).toBe('/r/assets/a.js');
    expect(resolveAppFile('/r', 'app://workbench/../../etc/passwd')).toBe('/r/etc/passwd');
    // the URL parser folds dot segments (encoded or not) into the root; encoded slashes must not escape it
    expect(resolveAppFile('/r', 'app://workbench/%2e%2e/%2e%2e/etc/passwd')).toBe('/r/etc/passwd');
    expect(resolveAppFile('/r', 'app://workbench/..%2F..%2Fetc%2Fpasswd')).toBeNull();
    expect(resolveAppFile('/r', 'app://other/index.html')).toBeNull();
    expect(resolveAppFile('/r', 'file:///r/index.html')).toBeNull();
    expect(mimeType('/r/a.js')).toMatch(/javascript/);
    expect(mimeType('/r/a.bin')).toBe('application/octet-stream');
  });
});
