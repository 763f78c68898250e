import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vite';
import renderer from '../renderer/vite.config';

// The same renderer build as the web mode, written where Forge's Vite plugin packages it from.
export default mergeConfig(
  renderer,
  defineConfig({
    build: { outDir: fileURLToPath(new URL('../.vite/renderer/main_window', import.meta.url)) },
  }),
);
