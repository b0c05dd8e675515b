import { describe, expect, it } from "vitest";
import { auditKindLabel, newestFirst, statusHistory } from "./audit";
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

describe("statusHistory", () => {
  const ev = (seq: number, kind: string, details: string): AuditEvent => ({
    seq,
    at: `2025-06-01T12:0${seq}:00Z`,
    credential_id: "a",
    credential_name: "A",
    kind,
    details,
  });
  it("keeps only verification outcomes, newest first, split into status and detail", () => {
    const history = statusHistory([
      ev(1, "created", "AWS ACCESS_KEY"),
      ev(2, "verification", "VALID — arn:aws:iam::123456789012:user/eg"),
      ev(3, "verify_requested", "by the administrator"),
      ev(4, "verification", "INVALID — InvalidClientTokenId — check the key id"),
      ev(5, "verification", "UNVERIFIED — Unreachable: connection refused"),
    ]);
    expect(history.map((h) => [h.seq, h.status, h.detail])).toEqual([
      [5, "UNVERIFIED", "Unreachable: connection refused"],
      [4, "INVALID", "InvalidClientTokenId — check the key id"],
      [2, "VALID", "arn:aws:iam::123456789012:user/eg"],
    ]);
    expect(history[0]?.at).toBe("2025-06-01T12:05:00Z");
  });
  it("keeps details it cannot parse whole, with no status", () => {
    expect(statusHistory([ev(1, "verification", "something new")])).toEqual([
      { seq: 1, at: "2025-06-01T12:01:00Z", status: null, detail: "something new" },
    ]);
    expect(statusHistory([ev(1, "verification", "VALID")])[0]).toMatchObject({ status: "VALID", detail: "" });
  });
});
