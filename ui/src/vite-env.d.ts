/// <reference types="svelte" />
/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** "1" loads the dev-only mock backend (ui/dev/mock.ts). Never set for release builds. */
  readonly VITE_MOCK?: string;
  /** "1" builds in the start-up benchmark marks (lib/startupMarks.ts). Only scripts/bench sets it. */
  readonly VITE_BENCH?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
