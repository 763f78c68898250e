/** The one window, and the guards every web contents gets: no navigation away, no new windows, no permissions. */
import { BrowserWindow, type Session, type WebContents } from 'electron';
import { isTrustedUrl, withSecurityHeaders } from './security';

/**
 * The window with Electron's security checklist applied. The preferences are written out literally here (not
 * built elsewhere) so that static checkers such as electronegativity can verify them.
 */
export function createMainWindow(preload: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1500,
    height: 1000,
    minWidth: 900,
    minHeight: 600,
    title: 'RTE Workbench',
    show: false,
    webPreferences: {
      preload,
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
    },
  });
  win.once('ready-to-show', () => win.show());
  return win;
}

/** Block navigation and new windows, and refuse to attach webviews. */
export function guardContents(contents: WebContents, devServerUrl?: string): void {
  contents.on('will-navigate', (e, url) => {
    if (!isTrustedUrl(url, devServerUrl)) e.preventDefault();
  });
  contents.on('will-redirect', (e, url) => {
    if (!isTrustedUrl(url, devServerUrl)) e.preventDefault();
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * Deny every permission request (camera, notifications, …) and enforce the CSP on every http(s) response (the
 * dev server's). Electron does not call onHeadersReceived for the app:// scheme: its responses get their
 * headers in protocol.ts.
 */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withSecurityHeaders(details.responseHeaders) }),
  );
}
