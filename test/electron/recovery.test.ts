/** A gone or hung page gets a dialog that offers a reload (the page's autosave keeps the work). */
import { EventEmitter } from 'node:events';
import type { BrowserWindow } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { watchRenderer } from '../../electron/recovery';

function fakeWindow() {
  const contents = Object.assign(new EventEmitter(), {
    reload: vi.fn(),
    forcefullyCrashRenderer: vi.fn(),
  });
  const win = { webContents: contents, isDestroyed: () => false, close: vi.fn() };
  return { win, contents };
}

const answer = (response: number) => ({
  showMessageBox: vi.fn(async () => ({ response, checkboxChecked: false })),
});
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('renderer recovery', () => {
  it('offers a reload when the page process is gone, saying why and that the work is kept', async () => {
    const { win, contents } = fakeWindow();
    const dialog = answer(0);
    watchRenderer(win as unknown as BrowserWindow, { dialog });
    contents.emit('render-process-gone', {}, { reason: 'oom', exitCode: 5 });
    await settle();
    const options = dialog.showMessageBox.mock.calls[0]!.at(-1) as unknown as {
      message: string;
      detail: string;
      buttons: string[];
    };
    expect(options.message).toBe('The workbench page stopped (it ran out of memory).');
    expect(options.detail).toMatch(/autosaved/);
    expect(options.buttons).toEqual(['Reload', 'Close the window']);
    expect(contents.reload).toHaveBeenCalledOnce();
  });

  it('ignores a clean exit, and closes the window when asked', async () => {
    const { win, contents } = fakeWindow();
    const dialog = answer(1);
    watchRenderer(win as unknown as BrowserWindow, { dialog });
    contents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    await settle();
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
    contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 11 });
    await settle();
    expect(win.close).toHaveBeenCalledOnce();
    expect(contents.reload).not.toHaveBeenCalled();
  });

  it('a hung page: wait does nothing; reload ends the hung process, reloads, and reports no crash', async () => {
    const { win, contents } = fakeWindow();
    const dialog = {
      showMessageBox: vi.fn().mockResolvedValueOnce({ response: 1 }).mockResolvedValueOnce({ response: 0 }),
    };
    watchRenderer(win as unknown as BrowserWindow, { dialog });
    contents.emit('unresponsive');
    await settle();
    expect(contents.reload).not.toHaveBeenCalled();
    contents.emit('unresponsive');
    await settle();
    expect(contents.forcefullyCrashRenderer).toHaveBeenCalledOnce();
    expect(contents.reload).toHaveBeenCalledOnce();
    contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 11 });
    await settle();
    expect(dialog.showMessageBox).toHaveBeenCalledTimes(2);
  });
});
