import { describe, expect, it } from "vitest";
import {
  emptyFilters,
  hasActiveFilters,
  nextSort,
  queryOf,
  rowsViewport,
  scrollTopFor,
  visibleRange,
} from "./table";

describe("hasActiveFilters", () => {
  it("counts blank search text as no filter", () => {
    expect(hasActiveFilters(emptyFilters())).toBe(false);
    expect(hasActiveFilters({ ...emptyFilters(), text: "  " })).toBe(false);
    expect(hasActiveFilters({ ...emptyFilters(), environment: "prod" })).toBe(true);
  });
});

describe("queryOf", () => {
  it("asks the service for the order, the filters set and the rows wanted, an empty choice as any", () => {
    expect(queryOf({ key: "key_age", dir: "desc" }, { text: " ci ", provider: "", status: "INVALID", environment: "" }, 120, 80)).toEqual({
      sort: "key_age",
      dir: "desc",
      text: " ci ",
      provider: null,
      status: "INVALID",
      environment: null,
      stale: false,
      offset: 120,
      limit: 80,
    });
  });
});

describe("nextSort", () => {
  it("flips on the same column and starts a new one ascending (dates descending)", () => {
    expect(nextSort({ key: "name", dir: "asc" }, "name")).toEqual({ key: "name", dir: "desc" });
    expect(nextSort({ key: "name", dir: "desc" }, "status")).toEqual({ key: "status", dir: "asc" });
    expect(nextSort({ key: "name", dir: "asc" }, "created_at")).toEqual({ key: "created_at", dir: "desc" });
    expect(nextSort({ key: "name", dir: "asc" }, "key_age")).toEqual({ key: "key_age", dir: "desc" });
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

describe("rowsViewport", () => {
  it("is the scroller less its header once the window bounds it", () => {
    expect(rowsViewport(636, 900, 36)).toBe(600);
    expect(rowsViewport(20, 900, 36)).toBe(0);
  });
  it("draws no more rows than the window shows while the scroller is as tall as all its rows", () => {
    const unbounded = 10_000 * 60 + 36; // measured before the window was sized
    const { start, end } = visibleRange(10_000, 0, rowsViewport(unbounded, 900, 36), 60, 8);
    expect(end - start).toBeLessThanOrEqual(Math.ceil(900 / 60) + 1 + 8);
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
