import { describe, expect, it } from "vitest";
import {
  actionLabel,
  backupSummary,
  leftOutText,
  freeName,
  planCounts,
  planSummary,
  restoreButtonLabel,
  restorePlan,
  restoreSummary,
  validatePassphrase,
  validatePassphraseAgain,
} from "./backup";
import type { RestoreEntry } from "./bindings/RestoreEntry";

const entry = (name: string, exists = false): RestoreEntry => ({
  name,
  provider: "APISIX",
  type: "ADMIN_KEY",
  environment: null,
  exists,
});

describe("validatePassphrase (the backend's rule)", () => {
  it("asks for one when empty", () => {
    expect(validatePassphrase("")).toMatch(/at least 12 characters/);
  });
  it("refuses fewer than 12 characters and says how many there are", () => {
    expect(validatePassphrase("abcdefghijk")).toMatch(/at least 12 characters \(this one has 11\)/);
  });
  it("counts characters as the backend does, not UTF-16 units", () => {
    // 11 emoji are 22 UTF-16 units but 11 characters.
    expect(validatePassphrase("😀😁😂🤣😃😄😅😆😉😊😋")).toMatch(/this one has 11/);
    expect(validatePassphrase("😀😁😂🤣😃😄😅😆😉😊😋😎")).toBeNull();
  });
  it("refuses a long passphrase of fewer than 6 different characters", () => {
    expect(validatePassphrase("aaaaaaaaaaaaaaaa")).toMatch(/repeats too few characters/);
    expect(validatePassphrase("abcdeabcdeabcde")).toMatch(/repeats too few characters/);
    expect(validatePassphrase("abcdefabcdef")).toBeNull();
  });
  it("keeps spaces: they count, nothing is trimmed", () => {
    expect(validatePassphrase("   abcdef   ")).toBeNull();
    expect(validatePassphrase("correct horse battery staple")).toBeNull();
  });
});

describe("validatePassphraseAgain", () => {
  it("asks for the second copy, then for the same one", () => {
    expect(validatePassphraseAgain("correct horse", "")).toMatch(/again/);
    expect(validatePassphraseAgain("correct horse", "correct hors")).toMatch(/differ/);
    expect(validatePassphraseAgain("correct horse", "correct horse")).toBeNull();
  });
});

describe("freeName (the backend's rule)", () => {
  it("takes “(restored)”, then the next free number, ignoring case", () => {
    expect(freeName("Prod", new Set(["prod"]))).toBe("Prod (restored)");
    expect(freeName("Prod", new Set(["prod", "prod (restored)"]))).toBe("Prod (restored 2)");
    expect(freeName("Prod", new Set(["prod (restored)", "prod (restored 2)"]))).toBe(
      "Prod (restored 3)",
    );
  });
});

describe("restorePlan", () => {
  const taken = new Set(["prod", "prod (restored)"]);
  const entries = [entry("Prod", true), entry("Staging"), entry("dev", true)];

  it("restores new names and skips the ones that exist", () => {
    const plan = restorePlan(entries, taken, "skip");
    expect(plan.map((a) => a.kind)).toEqual(["skip", "restore", "skip"]);
    expect(planCounts(plan)).toEqual({ restore: 1, renamed: 0, skipped: 2 });
  });
  it("trusts the backend's `exists` even when the page's list does not have the name yet", () => {
    // "dev" was created elsewhere after the page loaded its list.
    const plan = restorePlan(entries, taken, "rename");
    expect(plan[2]).toEqual({ kind: "rename", as: "dev (restored)" });
  });
  it("renames to the next free name, counting names taken earlier in the same restore", () => {
    const plan = restorePlan(
      [entry("Prod", true), entry("Prod (restored 2)"), entry("Staging")],
      taken,
      "rename",
    );
    // "Prod (restored)" is taken, "Prod (restored 2)" is free in the vault but a later entry
    // of the backup has it: the backend, walking in order, gives it to the first entry and
    // then renames the second.
    expect(plan).toEqual([
      { kind: "rename", as: "Prod (restored 2)" },
      { kind: "rename", as: "Prod (restored 2) (restored)" },
      { kind: "restore" },
    ]);
    expect(planCounts(plan)).toEqual({ restore: 3, renamed: 2, skipped: 0 });
  });
  it("says what happens in words", () => {
    expect(actionLabel({ kind: "restore" })).toBe("Restore");
    expect(actionLabel({ kind: "skip" })).toBe("Skip (name exists)");
    expect(actionLabel({ kind: "rename", as: "Prod (restored)" })).toBe("Restore as “Prod (restored)”");
  });
});

describe("sentences", () => {
  it("label the restore button by what will be restored", () => {
    expect(restoreButtonLabel(0)).toBe("Nothing to restore");
    expect(restoreButtonLabel(1)).toBe("Restore 1 credential");
    expect(restoreButtonLabel(1200)).toBe(`Restore ${(1200).toLocaleString()} credentials`);
  });
  it("count a plan", () => {
    expect(planSummary({ restore: 2, renamed: 0, skipped: 0 })).toBe("2 to restore");
    expect(planSummary({ restore: 3, renamed: 1, skipped: 2 })).toBe(
      "3 to restore (1 under a new name), 2 skipped",
    );
  });
  it("report a backup, with or without its audit trail", () => {
    const file = "/home/admin/eg.age";
    expect(backupSummary({ file, credentials: 2, audit_events: 9, left_out: [] })).toBe(
      `Backed up 2 credentials and 9 audit events to ${file}.`,
    );
    expect(backupSummary({ file, credentials: 1, audit_events: 0, left_out: [] })).toBe(
      `Backed up 1 credential to ${file}.`,
    );
  });
  it("say how many credentials a backup left out", () => {
    const file = "/home/admin/eg.age";
    const left = (name: string) => ({ name, reason: "A stored secret failed its integrity check." });
    expect(backupSummary({ file, credentials: 2, audit_events: 0, left_out: [left("a")] })).toBe(
      `Backed up 2 credentials to ${file}. Left out 1 credential whose secret could not be read.`,
    );
    expect(leftOutText(3)).toBe("Left out 3 credentials whose secret could not be read.");
  });
  it("report a restore", () => {
    expect(restoreSummary({ restored: 3, renamed: 1, skipped: 2, queued: 3 })).toBe(
      "Restored 3 credentials (1 under a new name), skipped 2; 3 queued for verification.",
    );
    expect(restoreSummary({ restored: 1, renamed: 0, skipped: 0, queued: 1 })).toBe(
      "Restored 1 credential; 1 queued for verification.",
    );
  });
});
