/**
 * The preload script (sandboxed, context-isolated): exposes window.rteDesktop, a small typed API over the
 * whitelisted IPC channels, and nothing else — no ipcRenderer, no Node.
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import { CHANNELS, type DesktopApi, type MenuCommand, menuCommandSchema } from './contract';

const api: DesktopApi = {
  saveFile: (args) => ipcRenderer.invoke(CHANNELS.saveFile, args),
  openFile: (args) => ipcRenderer.invoke(CHANNELS.openFile, args),
  versions: () => ipcRenderer.invoke(CHANNELS.versions),
  onMenuCommand(cb: (cmd: MenuCommand) => void) {
    const listener = (_e: IpcRendererEvent, cmd: unknown) => {
      const parsed = menuCommandSchema.safeParse(cmd);
      if (parsed.success) cb(parsed.data);
    };
    ipcRenderer.on(CHANNELS.menu, listener);
    return () => {
      ipcRenderer.removeListener(CHANNELS.menu, listener);
    };
  },
};

contextBridge.exposeInMainWorld('rteDesktop', api);
