import { describe, expect, it } from "vitest";
import type { ImportCandidate } from "./bindings/ImportCandidate";
import {
  blockedRows,
  canCheck,
  DUPLICATE_NAME_MESSAGE,
  importButtonLabel,
  importSummary,
  initialRows,
  NAME_EXISTS_MESSAGE,
  renameRow,
  rowProblem,
  selectionsOf,
  toggleRow,
} from "./importSelection";
import { row as credential } from "./testRows";

const cand = (profile: string, over: Partial<ImportCandidate> = {}): ImportCandidate => ({
  profile,
  access_key_hint: "AKIA…WXYZ",
  region: "us-east-1",
  name_exists: false,
  importable: true,
  reason: null,
  ...over,
});

const none: ReadonlySet<string> = new Set();
const taken: ReadonlySet<string> = new Set(["existing"]);

describe("initialRows", () => {
  it("checks importable profiles and leaves the rest unchecked", () => {
    const rows = initialRows(
      [cand("moto-good"), cand("sso-profile", { importable: false, reason: "SSO profile" })],
      none,
    );
    expect(rows.map((r) => [r.name, r.checked])).toEqual([
      ["moto-good", true],
      ["sso-profile", false],
    ]);
    expect(rowProblem(rows[1]!, rows, none)).toBe("SSO profile");
  });
  it("leaves a profile whose name exists unchecked, by the backend's flag or the current rows", () => {
    const rows = initialRows([cand("Existing", { name_exists: true }), cand("EXISTING")], taken);
    expect(rows.every((r) => !r.checked && r.waitingForName)).toBe(true);
    expect(rowProblem(rows[0]!, rows, taken)).toBe(NAME_EXISTS_MESSAGE);
    expect(canCheck(rows[0]!, taken)).toBe(false);
  });
});

describe("renameRow", () => {
  it("checks a clashing row once the admin types a free name", () => {
    const [r] = initialRows([cand("Existing", { name_exists: true })], taken);
    const renamed = renameRow(r!, "Existing 2", taken);
    expect(renamed.checked).toBe(true);
    expect(rowProblem(renamed, [renamed], taken)).toBeNull();
    expect(selectionsOf([renamed])).toEqual([{ profile: "Existing", name: "Existing 2" }]);
  });
  it("compares names without case and unchecks on a new clash", () => {
    const [r] = initialRows([cand("dev")], taken);
    const clash = renameRow(r!, "  EXISTING ", taken);
    expect(clash.checked).toBe(false);
    expect(rowProblem(clash, [clash], taken)).toBe(NAME_EXISTS_MESSAGE);
    expect(renameRow(clash, "dev-2", taken).checked).toBe(true);
  });
  it("does not re-check a row the admin unchecked", () => {
    const [r] = initialRows([cand("dev")], none);
    const off = toggleRow(r!, false);
    expect(renameRow(off, "dev renamed", none).checked).toBe(false);
  });
  it("never checks a non-importable profile", () => {
    const [r] = initialRows([cand("sso", { importable: false })], none);
    expect(toggleRow(r!, true).checked).toBe(false);
    expect(renameRow(r!, "other", none).checked).toBe(false);
    expect(selectionsOf([r!])).toEqual([]);
  });
});

describe("checks before import", () => {
  it("blocks two selected profiles with the same name and empty names", () => {
    const rows = initialRows([cand("a"), cand("b")], none);
    const twins = [rows[0]!, renameRow(rows[1]!, "A", none)];
    expect(rowProblem(twins[1]!, twins, none)).toBe(DUPLICATE_NAME_MESSAGE);
    expect(blockedRows(twins, none)).toHaveLength(2);
    const empty = [renameRow(rows[0]!, "  ", none)];
    expect(rowProblem(empty[0]!, empty, none)).toMatch(/Enter a name/);
  });
  it("sends trimmed names of checked rows only", () => {
    const rows = initialRows([cand("a"), cand("b")], none);
    const picked = [renameRow(rows[0]!, " Prod ", none), toggleRow(rows[1]!, false)];
    expect(selectionsOf(picked)).toEqual([{ profile: "a", name: "Prod" }]);
  });
});

describe("wording", () => {
  it("labels the button and sums up the result", () => {
    expect(importButtonLabel(1)).toBe("Import 1 profile");
    expect(importButtonLabel(3)).toBe("Import 3 profiles");
    expect(
      importSummary({
        imported: [credential({ id: "x" })],
        skipped: [{ profile: "bad", reason: "name taken" }],
      }),
    ).toBe("Imported 1 profile; verifying in the background. Skipped 1: bad (name taken).");
    expect(importSummary({ imported: [], skipped: [] })).toBe("No profiles were imported.");
  });
});
