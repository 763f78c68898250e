import { defineConfig } from 'vite';

// Forge's Vite plugin supplies the entry, output format and externals.
export default defineConfig({
  build: {
    rollupOptions: {
      // zod ships comments Rollup cannot place; harmless, and not ours to fix
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
    },
  },
});
