/** The native menu as a template: File sends commands to the renderer, the rest uses Electron's roles. */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from './contract';

export interface MenuDeps {
  send(cmd: MenuCommand): void;
  about(): void;
  isMac: boolean;
  devTools: boolean;
}

export function menuTemplate({ send, about, isMac, devTools }: MenuDeps): MenuItemConstructorOptions[] {
  const item = (label: string, cmd: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    click: () => send(cmd),
    ...(accelerator ? { accelerator } : {}),
  });
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        item('New', 'new', 'CmdOrCtrl+N'),
        item('Open session…', 'open-session', 'CmdOrCtrl+O'),
        item('Save session', 'save-session', 'CmdOrCtrl+S'),
        item('Save session as…', 'save-session-as', 'CmdOrCtrl+Shift+S'),
        { type: 'separator' },
        item('Export figure…', 'export-figure', 'CmdOrCtrl+E'),
        item('Export data…', 'export-data', 'CmdOrCtrl+Shift+E'),
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        // reloading keeps the work: the page offers back its autosave
        { role: 'reload' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(devTools ? [{ type: 'separator' as const }, { role: 'toggleDevTools' as const }] : []),
      ],
    },
    { label: 'Help', submenu: [{ label: 'About RTE Workbench', click: about }] },
  ];
}

export function aboutText(v: { app: string; electron: string; chrome: string; node: string }): string {
  return `RTE Workbench ${v.app}\nElectron ${v.electron}\nChromium ${v.chrome}\nNode ${v.node}`;
}
