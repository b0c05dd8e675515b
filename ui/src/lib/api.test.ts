// The command names and argument keys the backend's commands take (src-tauri/src/commands.rs):
// Tauri matches arguments by name, so a renamed key fails only at run time.
import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.hoisted(() => vi.fn());
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

import { chooseImportFile, credentialNames, importPreview, importProfiles, listPage, locateCredential } from "./api";
import { queryOf } from "./table";
import { row } from "./testRows";

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

describe("list_page", () => {
  it("asks for one page with the query as the backend names its fields", async () => {
    const page = { offset: 40, rows: [row({ id: "a" })], matching: 41, total: 90, environments: ["prod"] };
    invoke.mockResolvedValueOnce(page);
    const query = queryOf({ key: "status", dir: "desc" }, { text: "ci", provider: "AWS", status: "", environment: "" }, 40, 100);
    await expect(listPage(query)).resolves.toBe(page);
    expect(invoke).toHaveBeenCalledWith("list_page", {
      query: {
        sort: "status",
        dir: "desc",
        text: "ci",
        provider: "AWS",
        status: null,
        environment: null,
        stale: false,
        offset: 40,
        limit: 100,
      },
    });
  });

  it("locates a row and reads the names under the backend's command names", async () => {
    invoke.mockResolvedValueOnce(7).mockResolvedValueOnce(["prod"]);
    const query = queryOf({ key: "name", dir: "asc" }, { text: "", provider: "", status: "", environment: "" }, 0, 0);
    await expect(locateCredential(query, "a")).resolves.toBe(7);
    await expect(credentialNames()).resolves.toEqual(["prod"]);
    expect(invoke.mock.calls).toEqual([["locate_credential", { query, id: "a" }], ["credential_names"]]);
  });

  it("passes the backend's refusal on unchanged", async () => {
    const refusal = { code: "validation", message: "Search text is longer than 256 characters; shorten it.", field: "search" };
    invoke.mockRejectedValueOnce(refusal);
    const query = queryOf({ key: "name", dir: "asc" }, { text: "x", provider: "", status: "", environment: "" }, 0, 1);
    await expect(listPage(query)).rejects.toBe(refusal);
  });
});
