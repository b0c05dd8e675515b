// The credentials page's dialogs as one value: one slot, so two dialogs never fight over
// focus and no flag is left behind. The one stacking: Rotate or Delete asked for from a
// row's details panel opens over the panel, and closing it goes back to the panel.
// A dialog about a row follows the live row and closes when the row disappears.
import type { CredentialView } from "./bindings/CredentialView";

/** Rotate or Delete for a row; `overDetails` when opened from the row's details panel. */
type RowAction = { kind: "rotate" | "delete"; id: string; overDetails: boolean };

export type Dialog =
  | { kind: "add" }
  | { kind: "settings" }
  | { kind: "import" }
  | { kind: "backup" }
  | { kind: "restore" }
  | { kind: "reset" }
  | { kind: "details"; id: string }
  | RowAction
  | null;

const overDetails = (d: Dialog): d is RowAction =>
  d !== null && "overDetails" in d && d.overDetails;

/** Rotate or Delete for a row: over the row's details panel when asked for from there. */
export function openRowAction(current: Dialog, kind: RowAction["kind"], id: string): Dialog {
  return { kind, id, overDetails: current?.kind === "details" && current.id === id };
}

/** What stays open once the topmost dialog closes. */
export function afterClose(current: Dialog): Dialog {
  return overDetails(current) ? { kind: "details", id: current.id } : null;
}

/** The details panel shows on its own, and under the Rotate or Delete opened from it. */
export function showsDetails(d: Dialog): boolean {
  return d?.kind === "details" || overDetails(d);
}

/**
 * The live row a dialog is about (`followed`, the row the store keeps current); undefined for
 * the page's own dialogs, or a row that is gone.
 */
export function dialogRow(d: Dialog, followed: CredentialView | null): CredentialView | undefined {
  return d !== null && "id" in d && followed?.id === d.id ? followed : undefined;
}

/** The dialog that shows: one about a row that is gone (`row` undefined) shows nothing. */
export function stillOpen(d: Dialog, row: CredentialView | undefined): Dialog {
  return d !== null && "id" in d && row === undefined ? null : d;
}
