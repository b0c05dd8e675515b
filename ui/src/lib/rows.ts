// Pure list updates for the credentials store. Command responses and
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

/** Replaces the row in place (keeping its position) or appends it; returns the same array if nothing changed. */
export function upsertRow(
  rows: readonly CredentialView[],
  incoming: CredentialView,
): readonly CredentialView[] {
  const i = rows.findIndex((r) => r.id === incoming.id);
  if (i === -1) return [...rows, incoming];
  const existing = rows[i] as CredentialView;
  if (isOlder(incoming, existing)) return rows;
  const next = rows.slice();
  next[i] = incoming;
  return next;
}

/**
 * The list `next` with every row equal to one already shown replaced by that object, so the
 * table re-renders none of them and their sort and search keys (cached per object) stay
 * computed: the whole list replacing the first screen, or a reload, redraws only what changed.
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

/**
 * Applies a burst of changed/deleted events with one copy of the list (a
 * thousand verifications finishing together must not cost a thousand copies).
 * "reload" events are ignored here; the caller refetches.
 */
export function applyEvents(
  rows: readonly CredentialView[],
  events: readonly CredentialEvent[],
): readonly CredentialView[] {
  if (events.length === 0) return rows;
  if (events.length === 1) {
    const e = events[0] as CredentialEvent;
    if (e.kind === "changed") return upsertRow(rows, e.credential);
    if (e.kind === "deleted") return removeRow(rows, e.id);
    return rows;
  }
  const byId = new Map<string, CredentialView | null>();
  for (const r of rows) byId.set(r.id, r);
  let changed = false;
  for (const e of events) {
    if (e.kind === "changed") {
      const existing = byId.get(e.credential.id);
      if (existing && isOlder(e.credential, existing)) continue;
      byId.set(e.credential.id, e.credential);
      changed = true;
    } else if (e.kind === "deleted") {
      if (byId.get(e.id)) {
        byId.set(e.id, null);
        changed = true;
      }
    }
  }
  if (!changed) return rows;
  // Map keeps insertion order: existing rows stay in place, new ones append.
  const next: CredentialView[] = [];
  for (const r of byId.values()) if (r !== null) next.push(r);
  return next;
}
