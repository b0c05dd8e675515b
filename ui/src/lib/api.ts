// Typed wrappers over Tauri's invoke/listen: the only place the UI names a
// backend command or event, so a renamed command breaks here and nowhere else.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { ApiError } from "./bindings/ApiError";
import type { CredentialEvent } from "./bindings/CredentialEvent";
import type { CredentialView } from "./bindings/CredentialView";
import type { NewCredential } from "./bindings/NewCredential";
import type { VaultStatus } from "./bindings/VaultStatus";

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

export function listCredentials(): Promise<CredentialView[]> {
  return invoke<CredentialView[]>("list_credentials");
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

export function vaultStatus(): Promise<VaultStatus> {
  return invoke<VaultStatus>("vault_status");
}

export function onCredentialEvent(cb: (event: CredentialEvent) => void): Promise<UnlistenFn> {
  return listen<CredentialEvent>(EVENT_CREDENTIAL, (e) => cb(e.payload));
}
