// Rules of the "Import AWS profiles" dialog, kept pure for unit tests:
// which profiles start checked, what a name clash means, and what is sent.
import type { ImportCandidate } from "./bindings/ImportCandidate";
import type { ImportResult } from "./bindings/ImportResult";
import type { ImportSelection } from "./bindings/ImportSelection";
import { normaliseName, validateName } from "./validation";

export type ImportRow = {
  candidate: ImportCandidate;
  /** The credential name to create, editable; starts as the profile name. */
  name: string;
  checked: boolean;
  /** Unchecked only because the name is taken: checked again once a free name is typed. */
  waitingForName: boolean;
};

export const NAME_EXISTS_MESSAGE = "A credential with this name exists — choose another name";
export const DUPLICATE_NAME_MESSAGE =
  "Another selected profile will use this name — choose a different one";

const NO_NAMES: ReadonlySet<string> = new Set();

/** True when a credential already has `name` (names ignore case). */
export function nameIsTaken(row: ImportRow, name: string, taken: ReadonlySet<string>): boolean {
  const n = normaliseName(name);
  if (taken.has(n)) return true;
  // The backend checked the profile name when it built the preview.
  return row.candidate.name_exists && n === normaliseName(row.candidate.profile);
}

export function initialRows(
  candidates: readonly ImportCandidate[],
  taken: ReadonlySet<string>,
): ImportRow[] {
  return candidates.map((candidate) => {
    const row: ImportRow = { candidate, name: candidate.profile, checked: false, waitingForName: false };
    const clash = nameIsTaken(row, row.name, taken);
    const nameOk = validateName(row.name, NO_NAMES) === null;
    row.checked = candidate.importable && nameOk && !clash;
    row.waitingForName = candidate.importable && clash;
    return row;
  });
}

/** The admin typed a new name: a clash unchecks the row; picking a free name checks it again. */
export function renameRow(row: ImportRow, name: string, taken: ReadonlySet<string>): ImportRow {
  if (!row.candidate.importable) return { ...row, name };
  if (nameIsTaken(row, name, taken))
    return { ...row, name, checked: false, waitingForName: row.checked || row.waitingForName };
  if (row.waitingForName && validateName(name, NO_NAMES) === null)
    return { ...row, name, checked: true, waitingForName: false };
  return { ...row, name };
}

export function toggleRow(row: ImportRow, checked: boolean): ImportRow {
  if (!row.candidate.importable) return row;
  return { ...row, checked, waitingForName: false };
}

/** Whether the checkbox may be ticked: importable and a name no credential has. */
export function canCheck(row: ImportRow, taken: ReadonlySet<string>): boolean {
  return row.candidate.importable && !nameIsTaken(row, row.name, taken);
}

/** What is wrong with this row, if anything, in words for the admin. */
export function rowProblem(
  row: ImportRow,
  rows: readonly ImportRow[],
  taken: ReadonlySet<string>,
): string | null {
  if (!row.candidate.importable) return row.candidate.reason ?? "This profile cannot be imported.";
  if (nameIsTaken(row, row.name, taken)) return NAME_EXISTS_MESSAGE;
  const invalid = validateName(row.name, NO_NAMES);
  if (invalid !== null) return invalid;
  if (row.checked) {
    const n = normaliseName(row.name);
    const twins = rows.filter((r) => r.checked && normaliseName(r.name) === n).length;
    if (twins > 1) return DUPLICATE_NAME_MESSAGE;
  }
  return null;
}

/** Checked rows that cannot be imported as they stand (the Import button waits for them). */
export function blockedRows(rows: readonly ImportRow[], taken: ReadonlySet<string>): ImportRow[] {
  return rows.filter((r) => r.checked && rowProblem(r, rows, taken) !== null);
}

/** The command's selections: every checked row, with its name trimmed. */
export function selectionsOf(rows: readonly ImportRow[]): ImportSelection[] {
  return rows
    .filter((r) => r.checked && r.candidate.importable)
    .map((r) => ({ profile: r.candidate.profile, name: r.name.trim() }));
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "Import 2 profiles" — the submit button's label. */
export function importButtonLabel(n: number): string {
  return `Import ${count(n, "profile", "profiles")}`;
}

/** One line for the toast after an import, e.g. "Imported 2 profiles. Skipped 1: bad (reason)." */
export function importSummary(result: ImportResult): string {
  const parts = [
    result.imported.length === 0
      ? "No profiles were imported."
      : `Imported ${count(result.imported.length, "profile", "profiles")}; verifying in the background.`,
  ];
  if (result.skipped.length > 0) {
    const why = result.skipped.map((s) => `${s.profile} (${s.reason})`).join("; ");
    parts.push(`Skipped ${result.skipped.length}: ${why}.`);
  }
  return parts.join(" ");
}
