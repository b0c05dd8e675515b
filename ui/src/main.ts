// Entry point. The dev-only mock backend (ui/dev/) is loaded only when
// VITE_MOCK=1; Vite replaces the condition at build time, so production
// bundles never contain it and always talk to the real Tauri backend.
import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import { markStartup } from "./lib/startupMarks";

markStartup("script");

// Before the first layout: see app.css on fonts.
if (navigator.userAgent.includes("Linux")) document.documentElement.dataset.fonts = "fontconfig";

async function boot(): Promise<void> {
  if (import.meta.env.VITE_MOCK === "1") {
    const { installMock } = await import("../dev/mock");
    installMock();
  }
  const target = document.getElementById("app");
  if (!target) throw new Error("missing #app");
  mount(App, { target });
  markStartup("mounted");
}

void boot();
