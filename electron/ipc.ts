/**
 * IPC handlers of the main process. Every channel is whitelisted, every call must come from the app's own
 * frame, and every argument is validated with zod before it is used; files are only read or written where the
 * user chose in a native dialog.
 */
import { basename, extname } from 'node:path';
import type { BrowserWindow, Dialog, IpcMain, IpcMainInvokeEvent } from 'electron';
import { CHANNELS, type OpenFileResult, openFileArgs, saveFileArgs, type Versions } from './contract';

export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  dialog: Pick<Dialog, 'showSaveDialog' | 'showOpenDialog'>;
  window(): BrowserWindow | null;
  isTrustedSender(url: string): boolean;
  /** Replaces the file as a whole (electron/files.ts). */
  writeFile(path: string, data: Uint8Array): Promise<void>;
  /** Reads a regular file of at most maxBytes, checked on the open handle (electron/files.ts). */
  readFile(path: string, maxBytes: number): Promise<Uint8Array>;
  versions(): Versions;
}

export const MAX_OPEN_BYTES = 512 * 1024 * 1024;

export class IpcError extends Error {
  override name = 'IpcError';
}

function checkSender(deps: IpcDeps, channel: string, e: IpcMainInvokeEvent): void {
  const url = e.senderFrame?.url ?? '';
  if (!deps.isTrustedSender(url))
    throw new IpcError(`${channel}: refused a call from an untrusted frame (${url || 'unknown'})`);
}

function parse<T>(
  channel: string,
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  value: unknown,
): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new IpcError(
      `${channel}: invalid arguments (${r.error.issues.map((i) => `${i.path.map(String).join('.') || 'args'}: ${i.message}`).join('; ')})`,
    );
  return r.data;
}

export function registerIpc(deps: IpcDeps): () => void {
  const { ipcMain, dialog } = deps;

  ipcMain.handle(CHANNELS.saveFile, async (e, raw: unknown) => {
    checkSender(deps, CHANNELS.saveFile, e);
    const args = parse(CHANNELS.saveFile, saveFileArgs, raw);
    const ext = extname(args.suggestedName).slice(1).toLowerCase();
    const win = deps.window();
    const options = {
      defaultPath: args.suggestedName,
      filters: ext ? [{ name: ext.toUpperCase(), extensions: [ext] }] : [],
    };
    const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    if (r.canceled || !r.filePath) return { saved: false };
    await deps.writeFile(r.filePath, args.data);
    return { saved: true, path: r.filePath };
  });

  ipcMain.handle(CHANNELS.openFile, async (e, raw: unknown): Promise<OpenFileResult | null> => {
    checkSender(deps, CHANNELS.openFile, e);
    const args = parse(CHANNELS.openFile, openFileArgs, raw);
    const win = deps.window();
    const options = {
      properties: ['openFile' as const],
      filters: [{ name: args.extensions.join(', ').toUpperCase(), extensions: args.extensions }],
    };
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    const path = r.filePaths[0];
    if (r.canceled || !path) return null;
    return { name: basename(path), data: await deps.readFile(path, MAX_OPEN_BYTES) };
  });

  ipcMain.handle(CHANNELS.versions, async (e) => {
    checkSender(deps, CHANNELS.versions, e);
    return deps.versions();
  });

  return () => {
    for (const c of [CHANNELS.saveFile, CHANNELS.openFile, CHANNELS.versions]) ipcMain.removeHandler(c);
  };
}
