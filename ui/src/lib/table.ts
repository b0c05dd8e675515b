// The credentials table's order, filters and scrolling, kept pure so they can be unit
// tested. The service does the sorting and filtering (src-tauri/core/src/listing.rs): the
// table asks it for the rows it shows.
import type { ListQuery } from "./bindings/ListQuery";
import type { Provider } from "./bindings/Provider";
import type { SortDir } from "./bindings/SortDir";
import type { SortKey } from "./bindings/SortKey";
import type { Status } from "./bindings/Status";

export type { SortDir, SortKey };
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

/** What the service is asked for: this order and these filters, rows [offset, offset + limit). */
export function queryOf(sort: Sort, f: Filters, offset: number, limit: number): ListQuery {
  return {
    sort: sort.key,
    dir: sort.dir,
    text: f.text,
    provider: f.provider === "" ? null : f.provider,
    status: f.status === "" ? null : f.status,
    environment: f.environment === "" ? null : f.environment,
    stale: false,
    offset,
    limit,
  };
}

/** Next sort after clicking a column header: same column flips, new column starts asc (dates desc). */
export function nextSort(current: Sort, key: SortKey): Sort {
  if (current.key === key) return { key, dir: current.dir === "asc" ? "desc" : "asc" };
  // Dates start newest first; key age starts oldest first (the keys to rotate).
  return { key, dir: key === "created_at" || key === "key_age" ? "desc" : "asc" };
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
 * The height rows are seen in: the scroller's less its sticky header, never more than the
 * window's. Until the page's layout bounds it (a window not sized yet at start-up), the
 * scroller is as tall as all its rows; 10,000 of them drawn at once froze the page for ~20 s.
 */
export function rowsViewport(scroller: number, windowHeight: number, header: number): number {
  return Math.max(0, Math.min(scroller, windowHeight) - header);
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
