/**
 * The one contract between the main process, the preload script and the renderer: IPC channel names, their
 * argument schemas (validated in main, never trusted) and the API the preload exposes as window.rteDesktop.
 */
import { z } from 'zod';

export const MENU_COMMANDS = [
  'new',
  'open-session',
  'save-session',
  'save-session-as',
  'export-figure',
  'export-data',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];
export const menuCommandSchema = z.enum(MENU_COMMANDS);

export const CHANNELS = {
  saveFile: 'rte:save-file',
  openFile: 'rte:open-file',
  versions: 'rte:versions',
  menu: 'rte:menu',
} as const;

const MAX_BYTES = 512 * 1024 * 1024;
const extension = z.string().regex(/^[a-z0-9]{1,8}$/i, 'an extension is letters and digits only');

export const saveFileArgs = z.object({
  /** A file name only, no directories: the user picks where in the native dialog. */
  suggestedName: z
    .string()
    .min(1)
    .max(200)
    .refine((s) => !/[\\/]/.test(s) && s !== '.' && s !== '..', 'a file name must not contain a path'),
  data: z.instanceof(Uint8Array).refine((d) => d.byteLength <= MAX_BYTES, 'the file is larger than 512 MiB'),
});
export type SaveFileArgs = z.infer<typeof saveFileArgs>;

export const openFileArgs = z.object({ extensions: z.array(extension).min(1).max(10) });
export type OpenFileArgs = z.infer<typeof openFileArgs>;

export interface OpenFileResult {
  name: string;
  data: Uint8Array;
}

export interface Versions {
  app: string;
  electron: string;
  chrome: string;
  node: string;
}

/** window.rteDesktop in the renderer. */
export interface DesktopApi {
  saveFile(args: SaveFileArgs): Promise<{ saved: boolean; path?: string }>;
  openFile(args: OpenFileArgs): Promise<OpenFileResult | null>;
  versions(): Promise<Versions>;
  onMenuCommand(cb: (cmd: MenuCommand) => void): () => void;
}
