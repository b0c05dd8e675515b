import { describe, expect, it } from "vitest";
import type { CredentialView } from "./bindings/CredentialView";
import {
  DEFAULT_SORT,
  emptyFilters,
  environmentsOf,
  filterRows,
  hasActiveFilters,
  nextSort,
  sortRows,
  scrollTopFor,
  visibleRange,
} from "./table";
import { row } from "./testRows";

const rows = [
  row({ id: "1", name: "AWS Production", environment: "production", status: "VALID", identity: "arn:aws:iam::123:user/eg", created_at: "2025-01-03T23:00:00Z" }),
  row({ id: "2", name: "aws staging", environment: "staging", status: "INVALID", hint: "AKIA…WXYZ", created_at: "2025-01-01T00:00:00Z" }),
  row({ id: "3", name: "Gateway", provider: "APISIX", type: "ADMIN_KEY", created_at: "2025-01-02T00:00:00Z" }),
  row({ id: "4", name: "Corp", provider: "AZURE", type: "CLIENT_SECRET", environment: "production", status: "VALID", created_at: "2025-01-04T00:00:00+02:00" }),
];
const ids = (rs: readonly CredentialView[]) => rs.map((r) => r.id);

describe("filterRows", () => {
  it("returns the same array when no filter is active", () => {
    expect(filterRows(rows, emptyFilters())).toBe(rows);
    expect(hasActiveFilters({ ...emptyFilters(), text: "  " })).toBe(false);
  });
  it("matches text in name, identity and hint, ignoring case", () => {
    expect(ids(filterRows(rows, { ...emptyFilters(), text: "AWS" }))).toEqual(["1", "2"]);
    expect(ids(filterRows(rows, { ...emptyFilters(), text: "user/EG" }))).toEqual(["1"]);
    expect(ids(filterRows(rows, { ...emptyFilters(), text: "wxyz" }))).toEqual(["2"]);
    expect(ids(filterRows(rows, { ...emptyFilters(), text: "nothing" }))).toEqual([]);
  });
  it("does not match across field boundaries", () => {
    // name "AWS Production" + identity "arn…" must not match "productionarn".
    expect(filterRows(rows, { ...emptyFilters(), text: "productionarn" })).toEqual([]);
  });
  it("combines provider, status and environment filters", () => {
    expect(ids(filterRows(rows, { ...emptyFilters(), provider: "AZURE" }))).toEqual(["4"]);
    expect(ids(filterRows(rows, { ...emptyFilters(), status: "VALID" }))).toEqual(["1", "4"]);
    expect(ids(filterRows(rows, { ...emptyFilters(), environment: "production", provider: "AWS" }))).toEqual(["1"]);
  });
  it("sees a replaced row's new values", () => {
    const renamed = rows.map((r) => (r.id === "3" ? { ...r, name: "AWS gateway" } : r));
    expect(ids(filterRows(renamed, { ...emptyFilters(), text: "aws" }))).toEqual(["1", "2", "3"]);
  });
});

describe("sortRows", () => {
  it("sorts by name case-insensitively, both directions", () => {
    expect(ids(sortRows(rows, { key: "name", dir: "asc" }))).toEqual(["1", "2", "4", "3"]);
    expect(ids(sortRows(rows, { key: "name", dir: "desc" }))).toEqual(["3", "4", "2", "1"]);
  });
  it("sorts by created time, honouring offsets", () => {
    // 2025-01-04T00:00+02:00 is 2025-01-03T22:00Z: older than row 1 (23:00Z) despite the later date string.
    expect(ids(sortRows(rows, { key: "created_at", dir: "desc" }))).toEqual(["1", "4", "3", "2"]);
  });
  it("sorts by status with problems first, ties by name", () => {
    expect(ids(sortRows(rows, { key: "status", dir: "asc" }))).toEqual(["2", "3", "1", "4"]);
  });
  it("sorts by provider and type", () => {
    expect(ids(sortRows(rows, { key: "provider", dir: "asc" }))).toEqual(["3", "1", "2", "4"]);
    expect(ids(sortRows(rows, { key: "type", dir: "asc" }))).toEqual(["1", "2", "3", "4"]);
  });
  it("does not mutate its input", () => {
    const copy = [...rows];
    sortRows(rows, { key: "name", dir: "asc" });
    expect(rows).toEqual(copy);
  });
  it("flips on the same column and starts a new one ascending (dates descending)", () => {
    expect(nextSort({ key: "name", dir: "asc" }, "name")).toEqual({ key: "name", dir: "desc" });
    expect(nextSort({ key: "name", dir: "desc" }, "status")).toEqual({ key: "status", dir: "asc" });
    expect(nextSort({ key: "name", dir: "asc" }, "created_at")).toEqual({ key: "created_at", dir: "desc" });
    expect(nextSort({ key: "name", dir: "asc" }, "key_age")).toEqual({ key: "key_age", dir: "desc" });
  });
  it("returns a list already in order as a new array in that order, and sorts one that is not", () => {
    const newestFirst = sortRows(rows, DEFAULT_SORT);
    const again = sortRows(newestFirst, DEFAULT_SORT);
    expect(again).not.toBe(newestFirst);
    expect(ids(again)).toEqual(ids(newestFirst));
    const oneOut = [newestFirst[2]!, ...newestFirst.filter((_, i) => i !== 2)];
    expect(ids(sortRows(oneOut, DEFAULT_SORT))).toEqual(ids(newestFirst));
  });
  it("breaks a tie in creation time by name even when the list came in id order", () => {
    const at = "2026-12-02T11:03:41.926Z";
    const tied = [
      row({ id: "b", name: "zeta", created_at: at }),
      row({ id: "a", name: "Alpha", created_at: at }),
    ];
    expect(ids(sortRows(tied, DEFAULT_SORT))).toEqual(["a", "b"]);
  });
  it("sorts by key age, oldest first when descending", () => {
    const aged = [
      row({ id: "new", key_age_days: 3 }),
      row({ id: "old", key_age_days: 400 }),
      row({ id: "mid", key_age_days: 90 }),
    ];
    expect(ids(sortRows(aged, { key: "key_age", dir: "desc" }))).toEqual(["old", "mid", "new"]);
  });
});

describe("environmentsOf", () => {
  it("lists distinct environments, sorted, without empties", () => {
    expect(environmentsOf(rows)).toEqual(["production", "staging"]);
  });
});

describe("visibleRange", () => {
  it("renders the rows in view plus overscan, clamped", () => {
    expect(visibleRange(10_000, 0, 400, 40, 5)).toEqual({ start: 0, end: 16 });
    expect(visibleRange(10_000, 4000, 400, 40, 5)).toEqual({ start: 95, end: 116 });
    expect(visibleRange(10, 4000, 400, 40, 5)).toEqual({ start: 95, end: 95 });
    expect(visibleRange(0, 0, 0, 40, 5)).toEqual({ start: 0, end: 0 });
  });
});

describe("10,000 rows", () => {
  const many = Array.from({ length: 10_000 }, (_, i) =>
    row({
      id: `id-${i}`,
      name: `Credential ${i}`,
      provider: (["AWS", "GCP", "AZURE", "APISIX"] as const)[i % 4],
      status: (["VALID", "INVALID", "UNVERIFIED"] as const)[i % 3],
      identity: i % 3 === 0 ? `arn:aws:iam::123456789012:user/u${i}` : null,
      created_at: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
    }),
  );
  it("sorts by creation and filters by text and provider together", () => {
    const sorted = sortRows(many, { key: "created_at", dir: "desc" });
    expect(sorted[0]?.id).toBe("id-9999");
    const out = filterRows(sorted, { ...emptyFilters(), text: "credential 99", provider: "AWS" });
    expect(out.length).toBeGreaterThan(0);
    expect(out.every((r) => r.provider === "AWS" && r.name.startsWith("Credential 99"))).toBe(true);
  });
});

describe("scrollTopFor", () => {
  it("leaves the scroll alone when the row is already in view", () => {
    expect(scrollTopFor(3, 0, 600, 60)).toBe(0);
  });
  it("centres a row out of view, and never scrolls above the top", () => {
    expect(scrollTopFor(100, 0, 600, 60)).toBe(100 * 60 - 270);
    expect(scrollTopFor(1, 3000, 600, 60)).toBe(0);
  });
});
