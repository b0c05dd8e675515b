// Audit trail wording for the details panel. Kinds are stable strings from the
// backend; unknown future kinds still read as words.
import type { AuditEvent } from "./bindings/AuditEvent";

export const AUDIT_KIND_LABEL: Readonly<Record<string, string>> = {
  created: "Created",
  verification: "Verification",
  verify_requested: "Verify requested",
  rotated: "Rotated",
  deleted: "Deleted",
  imported: "Imported",
  vault_key_created: "Vault key created",
  vault_key_missing: "Vault key missing",
  vault_reset: "Vault reset",
};

/** "verify_requested" → "Verify requested"; unknown kinds get the same treatment. */
export function auditKindLabel(kind: string): string {
  const known = AUDIT_KIND_LABEL[kind];
  if (known !== undefined) return known;
  const words = kind.replace(/[_-]+/g, " ").trim().toLowerCase();
  if (words === "") return "Event";
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Newest first (by sequence number, which is append order), without touching the input. */
export function newestFirst(events: readonly AuditEvent[]): AuditEvent[] {
  return [...events].sort((a, b) => b.seq - a.seq);
}
