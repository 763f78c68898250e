/**
 * Files and menus, whichever shell runs the UI: the Electron preload's typed API (native dialogs, menus) when
 * present, browser downloads and uploads otherwise.
 */
import type { DesktopApi, MenuCommand } from '../../../electron/contract';

export interface OpenedFile {
  name: string;
  bytes: Uint8Array;
}

export interface Platform {
  kind: 'desktop' | 'web';
  saveFile(name: string, data: Uint8Array | string): Promise<void>;
  openFile(accept: string[]): Promise<OpenedFile | null>;
  onMenu(cb: (cmd: MenuCommand) => void): () => void;
}

declare global {
  interface Window {
    rteDesktop?: DesktopApi;
  }
}

const bytesOf = (data: Uint8Array | string) =>
  (typeof data === 'string' ? new TextEncoder().encode(data) : data) as Uint8Array<ArrayBuffer>;

const web: Platform = {
  kind: 'web',
  async saveFile(name, data) {
    const url = URL.createObjectURL(new Blob([bytesOf(data)]));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.style.display = 'none';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
  openFile(accept) {
    return new Promise((resolve) => {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = accept.map((e) => `.${e}`).join(',');
      input.style.display = 'none';
      input.addEventListener('change', async () => {
        const file = input.files?.[0];
        input.remove();
        resolve(file ? { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } : null);
      });
      input.addEventListener('cancel', () => {
        input.remove();
        resolve(null);
      });
      document.body.append(input);
      input.click();
    });
  },
  onMenu: () => () => {},
};

function desktop(api: DesktopApi): Platform {
  return {
    kind: 'desktop',
    async saveFile(name, data) {
      await api.saveFile({ suggestedName: name, data: bytesOf(data) });
    },
    async openFile(accept) {
      const r = await api.openFile({ extensions: accept });
      return r ? { name: r.name, bytes: r.data } : null;
    },
    onMenu: (cb) => api.onMenuCommand(cb),
  };
}

export const platform: Platform = window.rteDesktop ? desktop(window.rteDesktop) : web;
