import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** `npm run build:web` -> web/dist: static files CloudFront serves (and `npm start` locally). */
export default defineConfig({
  root,
  plugins: [react()],
  resolve: { alias: { '@': `${root}src` } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Self-contained: no CDN, no remote fonts; the app's only calls go to the API and the sign-in service.
    assetsInlineLimit: 0,
    // React, Mantine, the router, the query cache, i18next and the OIDC client make ~540 KB
    // (~160 KB gzip) that every screen needs; later screens are split off by route.
    chunkSizeWarningLimit: 700,
  },
});
