// The command names and argument keys the backend's commands take (src-tauri/src/commands.rs):
// Tauri matches arguments by name, so a renamed key fails only at run time.
import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.hoisted(() => vi.fn());
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

import { chooseImportFile, importPreview, importProfiles } from "./api";

beforeEach(() => invoke.mockReset());

describe("import commands", () => {
  it("opens the file dialog in the backend and hands back the chosen path, or null", async () => {
    invoke.mockResolvedValueOnce("/home/admin/Downloads/credentials").mockResolvedValueOnce(null);
    await expect(chooseImportFile()).resolves.toBe("/home/admin/Downloads/credentials");
    await expect(chooseImportFile()).resolves.toBeNull();
    expect(invoke).toHaveBeenCalledWith("choose_import_file");
  });

  it("names a source, never a path, for the preview and the import", async () => {
    invoke.mockResolvedValue({});
    await importPreview("default");
    await importPreview("chosen");
    await importProfiles("chosen", [{ profile: "p", name: "P" }]);
    expect(invoke.mock.calls).toEqual([
      ["import_preview", { source: "default" }],
      ["import_preview", { source: "chosen" }],
      ["import_profiles", { source: "chosen", selections: [{ profile: "p", name: "P" }] }],
    ]);
  });
});
