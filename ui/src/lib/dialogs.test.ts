import { describe, expect, it } from "vitest";
import { afterClose, dialogRow, openRowAction, showsDetails, stillOpen } from "./dialogs";
import type { Dialog } from "./dialogs";
import { row } from "./testRows";

const a = row({ id: "a" });
const b = row({ id: "b" });

describe("openRowAction", () => {
  it("opens Rotate or Delete over the details panel of the same row", () => {
    const rotate = openRowAction({ kind: "details", id: "a" }, "rotate", "a");
    expect(rotate).toEqual({ kind: "rotate", id: "a", overDetails: true });
    expect(showsDetails(rotate)).toBe(true);
  });
  it("opens Rotate or Delete from the table on its own", () => {
    const del = openRowAction(null, "delete", "a");
    expect(del).toEqual({ kind: "delete", id: "a", overDetails: false });
    expect(showsDetails(del)).toBe(false);
    expect(openRowAction({ kind: "details", id: "b" }, "delete", "a")).toEqual(del);
  });
});

describe("afterClose", () => {
  it("goes back to the details panel a dialog was opened from", () => {
    const rotate: Dialog = { kind: "rotate", id: "a", overDetails: true };
    expect(afterClose(rotate)).toEqual({ kind: "details", id: "a" });
  });
  it("leaves nothing open otherwise", () => {
    const alone: Dialog[] = [
      { kind: "delete", id: "a", overDetails: false },
      { kind: "details", id: "a" },
      { kind: "add" },
      { kind: "backup" },
      { kind: "restore" },
      null,
    ];
    for (const d of alone) expect(afterClose(d)).toBeNull();
  });
});

describe("dialogRow and stillOpen", () => {
  it("follow the live row of a row's dialog", () => {
    const details: Dialog = { kind: "details", id: "b" };
    const live = { ...b, status: "VALID" as const };
    expect(dialogRow(details, live)).toBe(live);
    expect(stillOpen(details, live)).toBe(details);
  });
  it("close a row's dialog, and the panel under it, once the row is gone", () => {
    const over: Dialog = { kind: "delete", id: "b", overDetails: true };
    expect(dialogRow(over, a)).toBeUndefined();
    const row = dialogRow(over, null);
    expect(row).toBeUndefined();
    expect(stillOpen(over, row)).toBeNull();
    expect(showsDetails(stillOpen(over, row))).toBe(false);
  });
  it("keep the page's own dialogs open whatever the rows", () => {
    const settings: Dialog = { kind: "settings" };
    expect(dialogRow(settings, a)).toBeUndefined();
    expect(stillOpen(settings, undefined)).toBe(settings);
  });
});
