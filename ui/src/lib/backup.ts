// Rules of the Backup and Restore dialogs, kept pure for unit tests: the passphrase rule (the
// backend's, mirrored so it shows while typing; the backend still checks), what a restore will
// do with each credential of a backup, and the sentences that report a backup or a restore.
import type { BackupReport } from "./bindings/BackupReport";
import type { OnConflict } from "./bindings/OnConflict";
import type { RestoreEntry } from "./bindings/RestoreEntry";
import type { RestoreReport } from "./bindings/RestoreReport";
import { normaliseName } from "./validation";

/** A new backup's passphrase: at least this many characters… */
export const PASSPHRASE_MIN = 12;
/** …and at least this many different ones (not "aaaaaaaaaaaa" nor "abababababab"). */
export const PASSPHRASE_MIN_DISTINCT = 6;

export const PASSPHRASE_RULE = `At least ${PASSPHRASE_MIN} characters, ${PASSPHRASE_MIN_DISTINCT} of them different; a few unrelated words work well.`;

/** Characters as the backend counts them (code points, not UTF-16 units). */
const chars = (s: string): string[] => [...s];

/** The passphrase of a new backup (never trimmed: spaces count, as in the backend). */
export function validatePassphrase(passphrase: string): string | null {
  const n = chars(passphrase).length;
  if (n === 0) return `Enter a passphrase of at least ${PASSPHRASE_MIN} characters; a few unrelated words work well.`;
  if (n < PASSPHRASE_MIN)
    return `Use a passphrase of at least ${PASSPHRASE_MIN} characters (this one has ${n}); a few unrelated words work well.`;
  if (new Set(chars(passphrase)).size < PASSPHRASE_MIN_DISTINCT)
    return "This passphrase repeats too few characters to be safe; use a few unrelated words.";
  return null;
}

/** The passphrase typed a second time. */
export function validatePassphraseAgain(passphrase: string, again: string): string | null {
  if (again.length === 0) return "Type the passphrase again, to be sure of it.";
  return again === passphrase ? null : "The two passphrases differ; type the same one twice.";
}

/** What a restore does with one credential of the backup. */
export type RestoreAction =
  | { kind: "restore" }
  | { kind: "skip" }
  /** Restored under a new name, as the backend picks it. */
  | { kind: "rename"; as: string };

/** `name (restored)`, `name (restored 2)`, … whichever is free (the backend's rule). */
export function freeName(name: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${name} (restored)` : `${name} (restored ${n})`;
    if (!taken.has(normaliseName(candidate))) return candidate;
  }
}

/**
 * What a restore will do with each credential of the backup, in its order, as the backend
 * decides it: a name this vault has (or that an earlier credential of the backup takes by
 * being renamed) is skipped or restored under the next free name.
 */
export function restorePlan(
  entries: readonly RestoreEntry[],
  taken: ReadonlySet<string>,
  onConflict: OnConflict,
): RestoreAction[] {
  const names = new Set(taken);
  return entries.map((entry): RestoreAction => {
    const exists = entry.exists || names.has(normaliseName(entry.name));
    if (exists && onConflict === "skip") return { kind: "skip" };
    const name = exists ? freeName(entry.name, names) : entry.name;
    names.add(normaliseName(name));
    return exists ? { kind: "rename", as: name } : { kind: "restore" };
  });
}

export type PlanCounts = { restore: number; renamed: number; skipped: number };

export function planCounts(plan: readonly RestoreAction[]): PlanCounts {
  const counts: PlanCounts = { restore: 0, renamed: 0, skipped: 0 };
  for (const action of plan) {
    if (action.kind === "skip") counts.skipped++;
    else counts.restore++;
    if (action.kind === "rename") counts.renamed++;
  }
  return counts;
}

/** "Restore", "Skip (name exists)", "Restore as “Prod (restored)”". */
export function actionLabel(action: RestoreAction): string {
  switch (action.kind) {
    case "restore":
      return "Restore";
    case "skip":
      return "Skip (name exists)";
    case "rename":
      return `Restore as “${action.as}”`;
  }
}

const credentialCount = (n: number): string =>
  n === 1 ? "1 credential" : `${n.toLocaleString()} credentials`;

const eventCount = (n: number): string =>
  n === 1 ? "1 audit event" : `${n.toLocaleString()} audit events`;

export function restoreButtonLabel(n: number): string {
  return n === 0 ? "Nothing to restore" : `Restore ${credentialCount(n)}`;
}

/** "2 to restore (1 under a new name), 1 skipped". */
export function planSummary(c: PlanCounts): string {
  const renamed = c.renamed > 0 ? ` (${c.renamed.toLocaleString()} under a new name)` : "";
  const skipped = c.skipped > 0 ? `, ${c.skipped.toLocaleString()} skipped` : "";
  return `${c.restore.toLocaleString()} to restore${renamed}${skipped}`;
}

/** What a backup file holds: "3 credentials and 120 audit events" (the trail may be left out). */
export function backupContents(credentials: number, auditEvents: number): string {
  return auditEvents > 0
    ? `${credentialCount(credentials)} and ${eventCount(auditEvents)}`
    : credentialCount(credentials);
}

/** "Backed up 3 credentials and 120 audit events to /path/file." (and what it left out) */
export function backupSummary(report: BackupReport): string {
  const written = `Backed up ${backupContents(report.credentials, report.audit_events)} to ${report.file}.`;
  return report.left_out.length > 0 ? `${written} ${leftOutText(report.left_out.length)}` : written;
}

/** "Left out 2 credentials whose secret could not be read." */
export function leftOutText(n: number): string {
  return `Left out ${credentialCount(n)} whose secret could not be read.`;
}

/** "Restored 3 credentials (1 under a new name), skipped 2; 3 queued for verification." */
export function restoreSummary(report: RestoreReport): string {
  const renamed = report.renamed > 0 ? ` (${report.renamed.toLocaleString()} under a new name)` : "";
  const skipped = report.skipped > 0 ? `, skipped ${report.skipped.toLocaleString()}` : "";
  return (
    `Restored ${credentialCount(report.restored)}${renamed}${skipped}; ` +
    `${report.queued.toLocaleString()} queued for verification.`
  );
}
