/** Electron Forge: the Vite plugin builds main, preload and renderer; fuses switch off what the app never uses. */

import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { FusesPlugin } from '@electron-forge/plugin-fuses';
import { VitePlugin } from '@electron-forge/plugin-vite';
import type { ForgeConfig } from '@electron-forge/shared-types';

const config: ForgeConfig = {
  packagerConfig: { name: 'RTE Workbench', executableName: 'rte-workbench', asar: true },
  rebuildConfig: {},
  makers: [],
  plugins: [
    new VitePlugin({
      build: [
        { entry: 'electron/main.ts', config: 'electron/vite.main.config.ts', target: 'main' },
        { entry: 'electron/preload.ts', config: 'electron/vite.preload.config.ts', target: 'preload' },
      ],
      renderer: [{ name: 'main_window', config: 'electron/vite.renderer.config.ts' }],
    }),
    new FusesPlugin({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      // the app is served from app://, never file://: file URLs get no extra privileges
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    }),
  ],
};

export default config;
