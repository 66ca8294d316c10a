import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * The dashboard's page, bundled at build time into dist/dashboard/web, which the installed
 * package serves itself: no CDN, works offline.
 */
export default defineConfig({
  root: fileURLToPath(new URL("./src/dashboard/web", import.meta.url)),
  base: "/",
  // Preact's JSX runtime without a plugin: esbuild does the transform.
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: fileURLToPath(new URL("./dist/dashboard/web", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 1024,
  },
  logLevel: "warn",
});
