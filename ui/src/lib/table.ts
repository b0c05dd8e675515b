// Filtering and sorting of the credentials table, kept pure so it can be unit
// tested and benchmarked. Lower-cased search/sort keys are computed once per
// row object (a WeakMap keyed by the row), each when first needed: an event that
// replaces one row only recomputes that row, the first sort by date computes no
// search text, and a filter keystroke over 10,000 rows is a plain substring scan.
import type { CredentialView } from "./bindings/CredentialView";
import type { Provider } from "./bindings/Provider";
import type { Status } from "./bindings/Status";

export type SortKey = "name" | "provider" | "type" | "status" | "created_at" | "key_age";
export type SortDir = "asc" | "desc";
export type Sort = { key: SortKey; dir: SortDir };

export type Filters = {
  text: string;
  provider: Provider | "";
  status: Status | "";
  environment: string;
};

export const DEFAULT_SORT: Sort = { key: "created_at", dir: "desc" };

export function emptyFilters(): Filters {
  return { text: "", provider: "", status: "", environment: "" };
}

export function hasActiveFilters(f: Filters): boolean {
  return f.text.trim() !== "" || f.provider !== "" || f.status !== "" || f.environment !== "";
}

/** A row's lower-cased search text, lower-cased name and creation time, each computed when first needed. */
type RowKeys = { search?: string; name?: string; created?: number };

const keyCache = new WeakMap<CredentialView, RowKeys>();

function keysOf(row: CredentialView): RowKeys {
  let k = keyCache.get(row);
  if (k === undefined) {
    k = {};
    keyCache.set(row, k);
  }
  return k;
}

function nameKey(row: CredentialView): string {
  const k = keysOf(row);
  return (k.name ??= row.name.toLowerCase());
}

function searchKey(row: CredentialView): string {
  const k = keysOf(row);
  // \u0000 separates parts so a query cannot match across two fields.
  return (k.search ??= `${nameKey(row)}\u0000${(row.identity ?? "").toLowerCase()}\u0000${row.hint.toLowerCase()}`);
}

function createdKey(row: CredentialView): number {
  const k = keysOf(row);
  if (k.created === undefined) {
    const created = Date.parse(row.created_at);
    k.created = Number.isNaN(created) ? 0 : created;
  }
  return k.created;
}

/** Keeps rows matching every active filter; returns the input when none is active. */
export function filterRows(rows: readonly CredentialView[], f: Filters): readonly CredentialView[] {
  if (!hasActiveFilters(f)) return rows;
  const q = f.text.trim().toLowerCase();
  const out: CredentialView[] = [];
  for (const row of rows) {
    if (f.provider !== "" && row.provider !== f.provider) continue;
    if (f.status !== "" && row.status !== f.status) continue;
    if (f.environment !== "" && row.environment !== f.environment) continue;
    if (q !== "" && !searchKey(row).includes(q)) continue;
    out.push(row);
  }
  return out;
}

function cmp<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The value a column sorts by: text compares as text, times and ages as numbers. */
function sortValue(row: CredentialView, key: SortKey): string | number {
  switch (key) {
    case "name":
      return nameKey(row);
    case "provider":
      return row.provider;
    case "type":
      return row.type;
    case "status":
      // Alphabetical by word: Invalid, Unverified, Valid — problems first.
      return row.status;
    case "created_at":
      return createdKey(row);
    case "key_age":
      return row.key_age_days;
  }
}

/**
 * Returns a sorted copy; ties fall back to name, then id, so order is stable. Each row's sort
 * value is read once, not per comparison, and a list already in order (the service lists newest
 * first, the default order) is only checked, one comparison per row, not sorted again.
 */
export function sortRows(rows: readonly CredentialView[], s: Sort): CredentialView[] {
  const sign = s.dir === "asc" ? 1 : -1;
  type Keyed = { row: CredentialView; value: string | number };
  const keyed: Keyed[] = rows.map((row) => ({ row, value: sortValue(row, s.key) }));
  const order = (a: Keyed, b: Keyed): number =>
    sign * cmp(a.value, b.value) || cmp(nameKey(a.row), nameKey(b.row)) || cmp(a.row.id, b.row.id);
  let inOrder = true;
  for (let i = 1; i < keyed.length && inOrder; i++) inOrder = order(keyed[i - 1]!, keyed[i]!) <= 0;
  if (!inOrder) keyed.sort(order);
  return keyed.map((k) => k.row);
}

/** Next sort after clicking a column header: same column flips, new column starts asc (dates desc). */
export function nextSort(current: Sort, key: SortKey): Sort {
  if (current.key === key) return { key, dir: current.dir === "asc" ? "desc" : "asc" };
  // Dates start newest first; key age starts oldest first (the keys to rotate).
  return { key, dir: key === "created_at" || key === "key_age" ? "desc" : "asc" };
}

/** Distinct non-empty environments, sorted, for the filter's options. */
export function environmentsOf(rows: readonly CredentialView[]): string[] {
  const set = new Set<string>();
  for (const r of rows) if (r.environment) set.add(r.environment);
  return [...set].sort((a, b) => a.localeCompare(b));
}

/** The slice of rows a virtualised list should render for a scroll position. */
export function visibleRange(
  total: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  overscan: number,
): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const count = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(total, first + count + overscan);
  return { start, end: Math.max(start, end) };
}

/**
 * Where to scroll so row `index` sits mid-viewport (clear of the sticky header); the current
 * position when the row is already fully in view.
 */
export function scrollTopFor(
  index: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
): number {
  const top = index * rowHeight;
  if (top >= scrollTop && top + rowHeight <= scrollTop + viewportHeight) return scrollTop;
  return Math.max(0, Math.round(top - (viewportHeight - rowHeight) / 2));
}
