// Pure updates of the rows the credentials store holds. Command responses and
// "credential-event"s can arrive in either order (a fast verifier may report
// Valid before create_credential's response lands), so an incoming row never
// replaces a row that is strictly newer.
import type { CredentialEvent } from "./bindings/CredentialEvent";
import type { CredentialView } from "./bindings/CredentialView";
import { timeOf } from "./time";

function stamp(iso: string | null): number {
  return timeOf(iso) ?? -Infinity;
}

/** True when `incoming` is strictly older than `existing` (by updated_at, then verified_at). */
export function isOlder(incoming: CredentialView, existing: CredentialView): boolean {
  const u = stamp(incoming.updated_at) - stamp(existing.updated_at);
  if (u !== 0) return u < 0;
  return stamp(incoming.verified_at) < stamp(existing.verified_at);
}

/**
 * Replaces the row in place when it is there and not newer than `incoming`; a row that is
 * not there is left out (its place in the list is the service's to say). Returns the same
 * array if nothing changed.
 */
export function upsertInPlace(
  rows: readonly CredentialView[],
  incoming: CredentialView,
): readonly CredentialView[] {
  const i = rows.findIndex((r) => r.id === incoming.id);
  return i === -1 ? rows : replaceAt(rows, i, incoming);
}

function replaceAt(
  rows: readonly CredentialView[],
  i: number,
  incoming: CredentialView,
): readonly CredentialView[] {
  const existing = rows[i] as CredentialView;
  if (isOlder(incoming, existing)) return rows;
  const next = rows.slice();
  next[i] = incoming;
  return next;
}

/**
 * The list `next` with every row equal to one already shown replaced by that object, so the
 * table re-renders none of them: reading the page again redraws only what changed.
 */
export function keepUnchanged(
  next: readonly CredentialView[],
  shown: readonly CredentialView[],
): readonly CredentialView[] {
  if (shown.length === 0) return next;
  const byId = new Map(shown.map((r) => [r.id, r]));
  return next.map((r) => {
    const old = byId.get(r.id);
    return old !== undefined && sameFields(old, r) ? old : r;
  });
}

function sameFields(a: CredentialView, b: CredentialView): boolean {
  const keys = Object.keys(a) as (keyof CredentialView)[];
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

export function removeRow(rows: readonly CredentialView[], id: string): readonly CredentialView[] {
  const i = rows.findIndex((r) => r.id === id);
  if (i === -1) return rows;
  return [...rows.slice(0, i), ...rows.slice(i + 1)];
}

/** Applies changed and deleted events to the rows there, in order ("reload" is the caller's). */
export function applyInPlace(
  rows: readonly CredentialView[],
  events: readonly CredentialEvent[],
): readonly CredentialView[] {
  let next = rows;
  for (const e of events) {
    if (e.kind === "changed") next = upsertInPlace(next, e.credential);
    else if (e.kind === "deleted") next = removeRow(next, e.id);
  }
  return next;
}
