// Audit trail wording for the details panel. Kinds are stable strings from the
// backend; unknown future kinds still read as words.
import type { AuditEvent } from "./bindings/AuditEvent";
import type { Status } from "./bindings/Status";

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

/** One verification outcome in the details panel's "Status history". */
export type HistoryEntry = {
  seq: number;
  at: string;
  /** The status the check reached; null when the details do not start with one. */
  status: Status | null;
  /** What follows the status, e.g. the identity or the reason. */
  detail: string;
};

const OUTCOME = /^(VALID|INVALID|UNVERIFIED)\b\s*(?:[—–:-]\s*)?([\s\S]*)$/;

/**
 * The "verification" events of an audit trail, newest first, split into status and detail
 * (the backend writes "VALID — arn:…", "INVALID — InvalidClientTokenId — hint",
 * "UNVERIFIED — reason").
 */
export function statusHistory(events: readonly AuditEvent[]): HistoryEntry[] {
  return newestFirst(events.filter((e) => e.kind === "verification")).map((e) => {
    const m = OUTCOME.exec(e.details.trim());
    return m
      ? { seq: e.seq, at: e.at, status: m[1] as Status, detail: (m[2] ?? "").trim() }
      : { seq: e.seq, at: e.at, status: null, detail: e.details.trim() };
  });
}
