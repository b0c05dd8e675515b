/// <reference types="vitest/config" />
// Vite config for the Tauri webview. The dev server port is fixed because
// tauri.conf.json's devUrl points at it; TAURI_* env vars are exposed so the
// front end can see the platform Tauri is building for.
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [svelte()],
  clearScreen: false,
  envPrefix: ["VITE_", "TAURI_"],
  server: {
    port: 1420,
    strictPort: true,
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebView2 (Chromium), WKWebView (Safari 15+) and WebKitGTK.
    target: ["es2021", "chrome105", "safari15"],
    // The CSP forbids inline scripts; webviews support modulepreload natively.
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
