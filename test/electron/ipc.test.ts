import { describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../../electron/contract';
import { type IpcDeps, registerIpc } from '../../electron/ipc';

type Handler = (e: unknown, ...args: unknown[]) => unknown;

function setup(overrides: Partial<IpcDeps> = {}) {
  const handlers = new Map<string, Handler>();
  const deps: IpcDeps = {
    ipcMain: {
      handle: (channel: string, h: Handler) => void handlers.set(channel, h),
      removeHandler: (channel: string) => void handlers.delete(channel),
    } as unknown as IpcDeps['ipcMain'],
    dialog: {
      showSaveDialog: vi.fn(async () => ({ canceled: false, filePath: '/home/u/E-map.png' })),
      showOpenDialog: vi.fn(async () => ({ canceled: false, filePaths: ['/home/u/s.rte.json'] })),
    } as unknown as IpcDeps['dialog'],
    window: () => null,
    isTrustedSender: (url) => url.startsWith('app://workbench/'),
    writeFile: vi.fn(async () => {}),
    readFile: vi.fn(async () => new Uint8Array([123, 125])),
    versions: () => ({ app: '0.1.0', electron: '45', chrome: '140', node: '22' }),
    ...overrides,
  };
  const dispose = registerIpc(deps);
  const trusted = { senderFrame: { url: 'app://workbench/index.html' } };
  const call = (channel: string, arg?: unknown, event: unknown = trusted) =>
    handlers.get(channel)!(event, arg);
  return { deps, handlers, call, dispose };
}

describe('IPC handlers', () => {
  it('registers exactly the whitelisted channels and removes them again', () => {
    const { handlers, dispose } = setup();
    expect([...handlers.keys()].sort()).toEqual(
      [CHANNELS.openFile, CHANNELS.saveFile, CHANNELS.versions].sort(),
    );
    dispose();
    expect(handlers.size).toBe(0);
  });

  it('saves where the user chose in the native dialog', async () => {
    const { deps, call } = setup();
    const data = new Uint8Array([1, 2, 3]);
    await expect(call(CHANNELS.saveFile, { suggestedName: 'E-map.png', data })).resolves.toEqual({
      saved: true,
      path: '/home/u/E-map.png',
    });
    expect(deps.dialog.showSaveDialog).toHaveBeenCalledWith({
      defaultPath: 'E-map.png',
      filters: [{ name: 'PNG', extensions: ['png'] }],
    });
    expect(deps.writeFile).toHaveBeenCalledWith('/home/u/E-map.png', data);
  });

  it('writes nothing when the dialog is cancelled', async () => {
    const showSaveDialog = vi.fn(async () => ({ canceled: true, filePath: '' }));
    const { deps, call } = setup({
      dialog: { showSaveDialog, showOpenDialog: vi.fn() } as unknown as IpcDeps['dialog'],
    });
    await expect(
      call(CHANNELS.saveFile, { suggestedName: 'a.csv', data: new Uint8Array() }),
    ).resolves.toEqual({ saved: false });
    expect(deps.writeFile).not.toHaveBeenCalled();
  });

  it.each([
    [{ suggestedName: '../../.bashrc', data: new Uint8Array() }, /must not contain a path/],
    [{ suggestedName: 'a.png', data: 'not bytes' }, /data/],
    [{ suggestedName: '', data: new Uint8Array() }, /suggestedName/],
    [null, /invalid arguments/],
  ])('refuses invalid save arguments %#', async (arg, message) => {
    const { deps, call } = setup();
    await expect(call(CHANNELS.saveFile, arg)).rejects.toThrow(message);
    expect(deps.dialog.showSaveDialog).not.toHaveBeenCalled();
  });

  it('opens a file the user picked, with only the requested extensions offered', async () => {
    const { deps, call } = setup();
    await expect(call(CHANNELS.openFile, { extensions: ['json'] })).resolves.toEqual({
      name: 's.rte.json',
      data: new Uint8Array([123, 125]),
    });
    expect(deps.dialog.showOpenDialog).toHaveBeenCalledWith({
      properties: ['openFile'],
      filters: [{ name: 'JSON', extensions: ['json'] }],
    });
    await expect(call(CHANNELS.openFile, { extensions: ['../x'] })).rejects.toThrow(/letters and digits/);
  });

  it('reads the chosen file once, with the size limit checked on the open handle', async () => {
    const { deps, call } = setup();
    await call(CHANNELS.openFile, { extensions: ['npy'] });
    expect(deps.readFile).toHaveBeenCalledExactlyOnceWith('/home/u/s.rte.json', 512 * 1024 * 1024);
  });

  it('refuses calls from frames that are not the app', async () => {
    const { deps, call } = setup();
    const evil = { senderFrame: { url: 'https://example.com/' } };
    await expect(
      call(CHANNELS.saveFile, { suggestedName: 'a.png', data: new Uint8Array() }, evil),
    ).rejects.toThrow(/untrusted frame/);
    await expect(call(CHANNELS.versions, undefined, evil)).rejects.toThrow(/untrusted frame/);
    expect(deps.writeFile).not.toHaveBeenCalled();
    await expect(call(CHANNELS.versions)).resolves.toMatchObject({ electron: '45' });
  });
});
