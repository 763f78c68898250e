/**
 * The main process: one window on the app:// scheme, native menus, validated IPC. Kept thin: the policies live
 * in security.ts, window.ts, menu.ts and ipc.ts, which have unit tests.
 */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session } from 'electron';
import { CHANNELS, type MenuCommand } from './contract';
import { readRegularFile, writeFileReplacing } from './files';
import { registerIpc } from './ipc';
import { aboutText, menuTemplate } from './menu';
import { appResponse } from './protocol';
import { watchRenderer } from './recovery';
import { APP_INDEX, APP_SCHEME, isTrustedUrl } from './security';
import { createMainWindow, guardContents, hardenSession } from './window';

declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string;

const devServerUrl =
  typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;
const rendererRoot = join(
  __dirname,
  `../renderer/${typeof MAIN_WINDOW_VITE_NAME === 'string' ? MAIN_WINDOW_VITE_NAME : 'main_window'}`,
);

protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
  },
]);

let win: BrowserWindow | null = null;

const versions = () => ({
  app: app.getVersion(),
  electron: process.versions.electron ?? '',
  chrome: process.versions.chrome ?? '',
  node: process.versions.node,
});

function send(cmd: MenuCommand): void {
  win?.webContents.send(CHANNELS.menu, cmd);
}

async function createWindow(): Promise<void> {
  win = createMainWindow(join(__dirname, 'preload.cjs'));
  guardContents(win.webContents, devServerUrl);
  watchRenderer(win, { dialog });
  win.on('closed', () => {
    win = null;
  });
  await win.loadURL(devServerUrl ?? APP_INDEX);
}

app.on('web-contents-created', (_e, contents) => guardContents(contents, devServerUrl));

app.whenReady().then(async () => {
  hardenSession(session.defaultSession);
  // the security headers are set on these responses themselves: onHeadersReceived never sees them
  protocol.handle(APP_SCHEME, (request) => appResponse(rendererRoot, request.url));
  registerIpc({
    ipcMain,
    dialog,
    window: () => win,
    isTrustedSender: (url) => isTrustedUrl(url, devServerUrl),
    writeFile: writeFileReplacing,
    readFile: readRegularFile,
    versions,
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        send,
        isMac: process.platform === 'darwin',
        devTools: !app.isPackaged,
        about: () =>
          void dialog.showMessageBox({
            type: 'info',
            title: 'About RTE Workbench',
            message: aboutText(versions()),
          }),
      }),
    ),
  );
  await createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
