// Typed wrappers over Tauri's invoke/listen: the only place the UI names a
// backend command or event, so a renamed command breaks here and nowhere else
// (the benchmark build's ui_ready aside: startupMarks.ts).
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { ApiError } from "./bindings/ApiError";
import type { BackupReport } from "./bindings/BackupReport";
import type { Boot } from "./bindings/Boot";
import type { CredentialEvent } from "./bindings/CredentialEvent";
import type { CredentialDetails } from "./bindings/CredentialDetails";
import type { CredentialView } from "./bindings/CredentialView";
import type { ImportPreview } from "./bindings/ImportPreview";
import type { ImportResult } from "./bindings/ImportResult";
import type { ImportSelection } from "./bindings/ImportSelection";
import type { ImportSource } from "./bindings/ImportSource";
import type { ListPage } from "./bindings/ListPage";
import type { ListQuery } from "./bindings/ListQuery";
import type { NewCredential } from "./bindings/NewCredential";
import type { OnConflict } from "./bindings/OnConflict";
import type { ProviderSpec } from "./bindings/ProviderSpec";
import type { RestorePreview } from "./bindings/RestorePreview";
import type { RestoreReport } from "./bindings/RestoreReport";
import type { Settings } from "./bindings/Settings";
import type { VaultStatus } from "./bindings/VaultStatus";

/**
 * The first screen the app put into the page before it loaded (window.__EG_BOOT__): the first
 * page of the list and the settings, so the table draws before any IPC. Taken once; null after,
 * or when the app had none.
 */
export function takeBoot(): Boot | null {
  const w = globalThis as { __EG_BOOT__?: Boot };
  const boot = w.__EG_BOOT__ ?? null;
  delete w.__EG_BOOT__;
  return boot;
}

/** The shape every command rejects with (generated from the backend's error type). */
export type { ApiError };

/** Error codes that mean the OS keychain / master key needs attention. */
export const VAULT_ERROR_CODES: ReadonlySet<string> = new Set([
  "no_keychain",
  "keychain_locked",
  "key_missing",
  "wrong_key",
]);

export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.code === "string" &&
    typeof v.message === "string" &&
    (v.field === null || v.field === undefined || typeof v.field === "string")
  );
}

/** Normalises anything a command may reject with into an ApiError. */
export function toApiError(err: unknown): ApiError {
  if (isApiError(err)) return { code: err.code, message: err.message, field: err.field ?? null };
  const text = typeof err === "string" ? err : err instanceof Error ? err.message : "unknown error";
  return {
    code: "internal",
    message: `EntryGuard could not complete the request (${text}). Try again; if it keeps failing, restart the app.`,
    field: null,
  };
}

export const EVENT_CREDENTIAL = "credential-event";

/** One page of the list, ordered and filtered by the service. */
export function listPage(query: ListQuery): Promise<ListPage> {
  return invoke<ListPage>("list_page", { query });
}

/** Where a credential stands in the list `query` orders and filters; null when not in it. */
export function locateCredential(query: ListQuery, id: string): Promise<number | null> {
  return invoke<number | null>("locate_credential", { query, id });
}

/** Every credential's name, for forms that warn about a name already taken. */
export function credentialNames(): Promise<string[]> {
  return invoke<string[]>("credential_names");
}

export function createCredential(input: NewCredential): Promise<CredentialView> {
  return invoke<CredentialView>("create_credential", { input });
}

export function deleteCredential(id: string): Promise<void> {
  return invoke<void>("delete_credential", { id });
}

export function verifyCredential(id: string): Promise<CredentialView> {
  return invoke<CredentialView>("verify_credential", { id });
}

/** Replaces the secret in place (same id, name and history); the row comes back Unverified. */
export function rotateCredential(id: string, spec: ProviderSpec): Promise<CredentialView> {
  return invoke<CredentialView>("rotate_credential", { id, spec });
}

export function credentialDetails(id: string): Promise<CredentialDetails> {
  return invoke<CredentialDetails>("credential_details", { id });
}

export function getSettings(): Promise<Settings> {
  return invoke<Settings>("get_settings");
}

export function setSettings(settings: Settings): Promise<Settings> {
  return invoke<Settings>("set_settings", { settings });
}

/**
 * Opens the system's file dialog (from the backend, so the page never names a path) and
 * returns the chosen file's path for display, or null when cancelled. The backend remembers
 * the choice: preview and import it as the "chosen" source.
 */
export function chooseImportFile(): Promise<string | null> {
  return invoke<string | null>("choose_import_file");
}

/** Lists the profiles of an AWS shared credentials file: the default one or the one chosen. */
export function importPreview(source: ImportSource): Promise<ImportPreview> {
  return invoke<ImportPreview>("import_preview", { source });
}

export function importProfiles(
  source: ImportSource,
  selections: ImportSelection[],
): Promise<ImportResult> {
  return invoke<ImportResult>("import_profiles", { source, selections });
}

/**
 * Writes every credential (and, with `includeAudit`, the audit trail) to one file encrypted
 * with `passphrase`. The backend opens the system's save dialog itself; null when cancelled.
 */
export function backupVault(passphrase: string, includeAudit: boolean): Promise<BackupReport | null> {
  return invoke<BackupReport | null>("backup_vault", { passphrase, includeAudit });
}

/**
 * Opens the system's file dialog (from the backend), decrypts the backup chosen with
 * `passphrase` and lists what it holds; null when cancelled. The backend remembers the file.
 */
export function restorePreview(passphrase: string): Promise<RestorePreview | null> {
  return invoke<RestorePreview | null>("restore_preview", { passphrase });
}

/** Restores the file chosen in the preview, all or nothing; each credential is then verified. */
export function restoreApply(passphrase: string, onConflict: OnConflict): Promise<RestoreReport> {
  return invoke<RestoreReport>("restore_apply", { passphrase, onConflict });
}

/**
 * Starts a new key when the current one is missing or wrong; the stored secrets are set aside
 * (kept under the old key, for `entryguard vault recover`). `confirmation` must be "RESET".
 */
export function resetVault(confirmation: string): Promise<VaultStatus> {
  return invoke<VaultStatus>("reset_vault", { confirmation });
}

/** What the About dialog shows (hand-written: the backend struct is not exported by ts-rs). */
export type AppInfo = {
  name: string;
  /** The app's version from Cargo.toml. */
  version: string;
  /** Absolute path of the folder holding the vault, settings and logs. */
  data_dir: string;
};

export function appInfo(): Promise<AppInfo> {
  return invoke<AppInfo>("app_info");
}

/** Quits the app (Ctrl+Q), saving the window's size and place. */
export function quitApp(): Promise<void> {
  return invoke("quit");
}

export function vaultStatus(): Promise<VaultStatus> {
  return invoke<VaultStatus>("vault_status");
}

export function onCredentialEvent(cb: (event: CredentialEvent) => void): Promise<UnlistenFn> {
  return listen<CredentialEvent>(EVENT_CREDENTIAL, (e) => cb(e.payload));
}
