import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { MENU_COMMANDS } from '../../electron/contract';
import { aboutText, menuTemplate } from '../../electron/menu';

const items = (t: MenuItemConstructorOptions[], label: string) =>
  (t.find((m) => m.label === label)!.submenu as MenuItemConstructorOptions[]).filter(
    (i) => i.type !== 'separator',
  );

describe('native menu', () => {
  it('File holds the session and export commands, each sent to the renderer', () => {
    const send = vi.fn();
    const t = menuTemplate({ send, about: vi.fn(), isMac: false, devTools: false });
    const file = items(t, 'File');
    expect(file.map((i) => i.label ?? i.role)).toEqual([
      'New',
      'Open session…',
      'Save session',
      'Save session as…',
      'Export figure…',
      'Export data…',
      'quit',
    ]);
    for (const i of file) (i.click as (() => void) | undefined)?.();
    expect(send.mock.calls.map((c) => c[0])).toEqual([...MENU_COMMANDS]);
  });

  it('has Edit, View and Help/About; dev tools only in development; the app menu only on macOS', () => {
    const about = vi.fn();
    const t = menuTemplate({ send: vi.fn(), about, isMac: false, devTools: false });
    expect(t.map((m) => m.label ?? m.role)).toEqual(['File', 'editMenu', 'View', 'Help']);
    expect(items(t, 'View').some((i) => i.role === 'toggleDevTools')).toBe(false);
    // a Reload (the page offers its autosave back afterwards)
    expect(items(t, 'View')[0]!.role).toBe('reload');
    (items(t, 'Help')[0]!.click as () => void)();
    expect(about).toHaveBeenCalled();
    const dev = menuTemplate({ send: vi.fn(), about, isMac: true, devTools: true });
    expect(dev[0]!.role).toBe('appMenu');
    expect(items(dev, 'View').some((i) => i.role === 'toggleDevTools')).toBe(true);
  });

  it('About lists the versions', () => {
    expect(aboutText({ app: '0.1.0', electron: '45.5.0', chrome: '140', node: '22' })).toBe(
      'RTE Workbench 0.1.0\nElectron 45.5.0\nChromium 140\nNode 22',
    );
  });
});
