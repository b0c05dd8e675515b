import { describe, expect, it } from "vitest";
import { applyInPlace, isOlder, keepUnchanged, removeRow, upsertInPlace } from "./rows";
import { row } from "./testRows";

const a = row({ id: "a", updated_at: "2025-01-01T00:00:00Z" });
const b = row({ id: "b" });

describe("upsertInPlace", () => {
  it("replaces a row in place and leaves a row it does not hold to the next page read", () => {
    const a2 = { ...a, status: "VALID" as const, updated_at: "2025-01-01T00:00:05Z" };
    expect(upsertInPlace([a, b], a2)).toEqual([a2, b]);
    const rows = [a, b];
    expect(upsertInPlace(rows, row({ id: "c" }))).toBe(rows);
  });
  it("keeps a newer row when a stale response arrives late", () => {
    // The verifier's Valid event beat create_credential's response.
    const valid = { ...a, status: "VALID" as const, verified_at: "2025-01-01T00:00:01Z" };
    const createResponse = { ...a, checking: true };
    const rows = [valid];
    expect(isOlder(createResponse, valid)).toBe(true);
    expect(upsertInPlace(rows, createResponse)).toBe(rows);
  });
});

describe("keepUnchanged", () => {
  it("keeps the shown object for every row whose fields are all equal, and takes the new one otherwise", () => {
    const shown = [a, b];
    const sameA = { ...a };
    const changedB = { ...b, status: "INVALID" as const };
    const c = row({ id: "c" });
    const next = keepUnchanged([c, sameA, changedB], shown);
    expect(next).toHaveLength(3);
    expect(next[0]).toBe(c);
    expect(next[1]).toBe(a); // equal data: the object already on screen
    expect(next[2]).toBe(changedB);
  });
  it("notices a change in any field, null or not", () => {
    for (const change of [{ verified_at: "2025-01-01T00:00:09Z" }, { environment: "prod" }, { checking: true }]) {
      expect(keepUnchanged([{ ...a, ...change }], [a])[0]).not.toBe(a);
    }
  });
  it("returns the new list as it is when nothing is shown yet", () => {
    const next = [a, b];
    expect(keepUnchanged(next, [])).toBe(next);
  });
});

describe("removeRow", () => {
  it("removes by id and returns the same array when absent", () => {
    const rows = [a, b];
    expect(removeRow(rows, "a")).toEqual([b]);
    expect(removeRow(rows, "zzz")).toBe(rows);
  });
});

describe("applyInPlace", () => {
  it("applies changes and deletions to the rows held, in order, and adds none", () => {
    const a2 = { ...a, status: "INVALID" as const, updated_at: "2025-01-01T00:01:00Z" };
    const c = row({ id: "c" });
    const out = applyInPlace(
      [a, b],
      [
        { kind: "changed", credential: a2 },
        { kind: "changed", credential: c },
        { kind: "deleted", id: "b" },
        { kind: "reload" },
      ],
    );
    expect(out).toEqual([a2]);
  });
  it("ignores stale changes and returns the same array when nothing changed", () => {
    const newer = { ...a, updated_at: "2025-02-01T00:00:00Z" };
    const rows = [newer, b];
    expect(applyInPlace(rows, [{ kind: "changed", credential: a }, { kind: "deleted", id: "x" }])).toBe(rows);
  });
});
