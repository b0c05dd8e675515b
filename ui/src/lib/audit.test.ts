import { describe, expect, it } from "vitest";
import { auditKindLabel, newestFirst } from "./audit";
import type { AuditEvent } from "./bindings/AuditEvent";

describe("auditKindLabel", () => {
  it("words every kind the backend writes", () => {
    expect(auditKindLabel("created")).toBe("Created");
    expect(auditKindLabel("verification")).toBe("Verification");
    expect(auditKindLabel("verify_requested")).toBe("Verify requested");
    expect(auditKindLabel("rotated")).toBe("Rotated");
    expect(auditKindLabel("deleted")).toBe("Deleted");
    expect(auditKindLabel("imported")).toBe("Imported");
    expect(auditKindLabel("vault_key_created")).toBe("Vault key created");
    expect(auditKindLabel("vault_key_missing")).toBe("Vault key missing");
    expect(auditKindLabel("vault_reset")).toBe("Vault reset");
  });
  it("turns unknown kinds into words instead of showing snake_case", () => {
    expect(auditKindLabel("settings_changed")).toBe("Settings changed");
    expect(auditKindLabel("")).toBe("Event");
  });
});

describe("newestFirst", () => {
  it("orders by sequence, newest first, and leaves the input alone", () => {
    const ev = (seq: number): AuditEvent => ({
      seq,
      at: "2025-01-01T00:00:00Z",
      credential_id: "a",
      credential_name: "a",
      kind: "created",
      details: "",
    });
    const input = [ev(1), ev(3), ev(2)];
    expect(newestFirst(input).map((e) => e.seq)).toEqual([3, 2, 1]);
    expect(input.map((e) => e.seq)).toEqual([1, 3, 2]);
  });
});
