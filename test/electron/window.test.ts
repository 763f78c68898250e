import { EventEmitter } from 'node:events';
import type { Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { CSP } from '../../electron/security';
import { createMainWindow, guardContents, hardenSession } from '../../electron/window';

// Electron itself is mocked: the window records its options instead of opening.
vi.mock('electron', () => ({
  BrowserWindow: class {
    shown = false;
    constructor(readonly options: Record<string, unknown>) {}
    once(event: string, cb: () => void) {
      if (event === 'ready-to-show') cb();
    }
    show() {
      this.shown = true;
    }
  },
}));

class FakeContents extends EventEmitter {
  openHandler: ((d: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.openHandler = h;
  }
}

const navigate = (c: FakeContents, event: string, url: string) => {
  const e = { preventDefault: vi.fn() };
  c.emit(event, e, url);
  return e.preventDefault.mock.calls.length > 0;
};

describe('window guards', () => {
  it('the window follows the security checklist and shows once ready', () => {
    const win = createMainWindow('/app/preload.cjs') as unknown as {
      options: Record<string, any>;
      shown: boolean;
    };
    expect(win.options.webPreferences).toEqual({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(win.options.show).toBe(false);
    expect(win.shown).toBe(true);
  });

  it('blocks navigation away from the app, redirects, webviews and new windows', () => {
    const c = new FakeContents();
    guardContents(c as unknown as WebContents);
    expect(navigate(c, 'will-navigate', 'https://example.com/')).toBe(true);
    expect(navigate(c, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate(c, 'will-navigate', 'app://workbench/index.html')).toBe(false);
    expect(navigate(c, 'will-redirect', 'http://evil.test/')).toBe(true);
    const wv = { preventDefault: vi.fn() };
    c.emit('will-attach-webview', wv);
    expect(wv.preventDefault).toHaveBeenCalled();
    expect(c.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('denies permissions and enforces the CSP header', () => {
    let permission: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null;
    let headers:
      | ((d: { responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void)
      | null = null;
    const session = {
      setPermissionRequestHandler: (h: typeof permission) => {
        permission = h;
      },
      setPermissionCheckHandler: vi.fn(),
      webRequest: {
        onHeadersReceived: (h: typeof headers) => {
          headers = h;
        },
      },
    };
    hardenSession(session as unknown as Session);
    const answer = vi.fn();
    permission!(null, 'media', answer);
    expect(answer).toHaveBeenCalledWith(false);
    const cb = vi.fn();
    headers!({ responseHeaders: { 'Content-Security-Policy': ['default-src *'] } }, cb);
    expect(cb.mock.calls[0]![0].responseHeaders['Content-Security-Policy']).toEqual([CSP]);
  });
});
