import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The console builds into dist/console, which the API serves at `/`. In development `npx vite apps/console` proxies the API. */
export default defineConfig({
  root,
  base: '/',
  resolve: {
    // The libs' framework-free cores (`@app/<lib>/core`) run in the browser too, so the console checks what the
    // server checks with the same code. Only cores without Node built-ins may be imported.
    alias: [
      {
        find: /^@app\/compliance$/,
        replacement: fileURLToPath(new URL('../../libs/compliance/src/index.ts', import.meta.url)),
      },
      {
        find: /^@app\/([a-z-]+)\/core$/,
        replacement: fileURLToPath(new URL('../../libs/$1/src/core/index.ts', import.meta.url)),
      },
    ],
  },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2023',
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
    rolldownOptions: {
      // antd marks its modules "use client" for React Server Components; a client-only bundle has nothing to keep.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        // @hpke/common looks for Node's crypto only when WebCrypto is missing; in a browser it never is.
        if (/"crypto" has been externalized/.test(warning.message) && /@hpke/.test(warning.message)) return;
        warn(warning);
      },
    },
  },
  server: { proxy: { '/v1': 'http://localhost:3000', '/health': 'http://localhost:3000' } },
});
