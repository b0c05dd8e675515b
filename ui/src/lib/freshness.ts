// How current a credential's status is: when the last decision (Valid or Invalid) was made,
// whether it is older than the re-check interval (stale), when the next check is due, and
// when the provider says the secret expires. Staleness is computed from `stale_at` and the
// page clock, so a row turns stale on screen without a reload.
import type { HistoryEntry } from "./audit";
import type { CredentialView } from "./bindings/CredentialView";
import type { Status } from "./bindings/Status";
import { statusReason } from "./status";
import { durationText, relativeTime, timeOf } from "./time";

type Freshness = Pick<CredentialView, "status" | "verified_at" | "stale_at" | "checking">;

/**
 * True once the last decision (Valid or Invalid) is older than the re-check interval. It
 * stays true while a later check could not decide (Unverified): the decision kept is old.
 */
export function isStale(row: Pick<CredentialView, "stale_at">, now: number): boolean {
  const t = timeOf(row.stale_at);
  return t !== null && now >= t;
}

/** When the row turns stale, if that is still ahead of `now` (for a wake-up timer); else null. */
export function staleAhead(row: Pick<CredentialView, "stale_at">, now: number): number | null {
  const t = timeOf(row.stale_at);
  return t !== null && t > now ? t : null;
}

/** "checked 3 h ago" for a decided row; "last decision 3 h ago" when a later check could not decide. */
export function freshnessText(row: Pick<CredentialView, "status" | "verified_at">, now: number): string {
  if (timeOf(row.verified_at) === null) return "";
  const ago = relativeTime(row.verified_at, now);
  return row.status === "UNVERIFIED" ? `last decision ${ago}` : `checked ${ago}`;
}

/**
 * The status cell's second line: when the decision was made, then why the status is what it is
 * (left out for a plain Valid, where it would only repeat the badge).
 */
export function statusLine(row: CredentialView, now: number): string {
  const when = freshnessText(row, now);
  // "Verified" would only repeat a Valid badge.
  if (when !== "" && row.status === "VALID" && row.status_reason === null && !row.checking) return when;
  const reason = statusReason(row);
  return when === "" ? reason : `${when} · ${reason}`;
}

/**
 * The badge's hover text, e.g. "Last verified 13 h ago — older than the 12 h re-check
 * interval; a check is due". Empty when the row was never decided.
 */
export function badgeTitle(row: Freshness, now: number): string {
  const verified = timeOf(row.verified_at);
  if (verified === null) return "";
  const head = `Last verified ${relativeTime(row.verified_at, now)}`;
  const staleAt = timeOf(row.stale_at);
  const undecided = row.status === "UNVERIFIED" ? "; the latest check could not decide" : "";
  if (!isStale(row, now) || staleAt === null) return `${head}${undecided}`;
  const interval = durationText(staleAt - verified);
  const next = row.checking ? "a check is running" : "a check is due";
  return `${head} — older than the ${interval} re-check interval${undecided}; ${next}`;
}

/** "expires in 5 days", "expired 2 days ago"; null when the expiry is unknown. */
export function expiryText(expiresAt: string | null, now: number): string | null {
  const t = timeOf(expiresAt);
  if (t === null) return null;
  const rel = relativeTime(expiresAt, now);
  return t > now ? `expires ${rel}` : `expired ${rel}`;
}

export type NextCheck = {
  /** "in 5 h", "due now", "Automatic re-checks are off", … */
  text: string;
  /** The time it refers to, for an exact rendering; null when there is none. */
  at: string | null;
};

/**
 * When the next check runs: a pending retry or the scheduled re-check (`next_check_at`).
 * `recheckHours` is the setting (0 = off; null while settings are unknown).
 */
export function nextCheck(
  row: Pick<CredentialView, "checking" | "next_check_at">,
  recheckHours: number | null,
  now: number,
): NextCheck {
  if (row.checking) return { text: "Checking now", at: null };
  const t = timeOf(row.next_check_at);
  if (t !== null) {
    const text = t <= now ? "due now" : t - now < 45_000 ? "in under a minute" : relativeTime(row.next_check_at, now);
    return { text, at: row.next_check_at };
  }
  if (recheckHours === 0) return { text: "Automatic re-checks are off", at: null };
  return { text: "Not scheduled", at: null };
}

/**
 * The status of the last decision: the row's own when Valid or Invalid, else (a later check
 * could not decide) the newest Valid/Invalid outcome in the history; null when never decided.
 */
export function lastDecision(
  row: Pick<CredentialView, "status" | "verified_at">,
  history: readonly Pick<HistoryEntry, "status">[],
): Status | null {
  if (row.verified_at === null) return null;
  if (row.status !== "UNVERIFIED") return row.status;
  return history.find((h) => h.status === "VALID" || h.status === "INVALID")?.status ?? null;
}
