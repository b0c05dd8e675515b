// The command names and argument keys the backend's commands take (src-tauri/src/commands.rs):
// Tauri matches arguments by name, so a renamed key fails only at run time.
import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.hoisted(() => vi.fn());
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

import { chooseImportFile, importPreview, importProfiles, listCredentials } from "./api";
import { CREDENTIAL_ROW_FIELDS } from "./bindings/credentialRow";
import { deflateJson, inflateJson } from "./deflate";
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

describe("list_credentials", () => {
  it("turns each row of values back into the credential it stands for", async () => {
    const views = [
      row({ id: "a", name: "prod", environment: "production", checking: true, stale: true }),
      row({ id: "b", name: "staging", status: "INVALID", status_reason: "key deleted" }),
    ];
    invoke.mockResolvedValueOnce(
      await deflateJson(views.map((v) => CREDENTIAL_ROW_FIELDS.map((f) => v[f]))),
    );
    await expect(listCredentials()).resolves.toEqual(views);
    expect(invoke).toHaveBeenCalledWith("list_credentials");
  });

  it("inflates exactly the bytes the backend deflates", async () => {
    // `deflate_json` (src-tauri/src/list_reply.rs) wrote these for [["a", null, 1, true, "é"]].
    const fromRust = Uint8Array.from([
      120, 1, 139, 142, 86, 74, 84, 210, 201, 43, 205, 201, 209, 49, 212, 41, 41, 42, 77, 213, 81,
      58, 188, 82, 41, 54, 22, 0, 95, 201, 8, 34,
    ]);
    await expect(inflateJson(fromRust.buffer)).resolves.toEqual([["a", null, 1, true, "é"]]);
  });

  it("fails, and shows nothing, when the reply is not deflated JSON", async () => {
    invoke.mockResolvedValueOnce(new TextEncoder().encode('[["a"]]').buffer);
    await expect(listCredentials()).rejects.toThrow();
  });

  it("passes the backend's refusal on unchanged", async () => {
    const refusal = { code: "locked", message: "The keychain is locked.", field: null };
    invoke.mockRejectedValueOnce(refusal);
    await expect(listCredentials()).rejects.toBe(refusal);
  });
});
