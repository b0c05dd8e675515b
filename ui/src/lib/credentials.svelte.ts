// The credentials list as the UI sees it: loaded once, then kept current by
// "credential-event"s and command responses. Rows live in $state.raw (not a
// deep proxy) because the list can hold 10,000 rows; every change replaces the
// array, and only changed row objects are new.
import * as api from "./api";
import type { ApiError } from "./api";
import type { CredentialEvent } from "./bindings/CredentialEvent";
import type { CredentialView } from "./bindings/CredentialView";
import type { ImportResult } from "./bindings/ImportResult";
import type { ImportSelection } from "./bindings/ImportSelection";
import type { NewCredential } from "./bindings/NewCredential";
import type { ProviderSpec } from "./bindings/ProviderSpec";
import type { Settings } from "./bindings/Settings";
import type { VaultStatus } from "./bindings/VaultStatus";
import { applyEvents, removeRow, upsertRow } from "./rows";
import { normaliseName } from "./validation";
import { showToast } from "./toasts.svelte";

export type LoadState = "loading" | "ready" | "error";

class CredentialsStore {
  rows = $state.raw<readonly CredentialView[]>([]);
  loadState = $state<LoadState>("loading");
  /** Set once the first list call settled (success or failure). */
  firstLoadDone = $state(false);
  /** The first list call's duration and end (performance.now()), for the start-up mark. */
  firstListMs = 0;
  firstListAt = 0;
  vault = $state.raw<VaultStatus | null>(null);
  /** Null until get_settings answered (the key-age threshold is then unknown). */
  settings = $state.raw<Settings | null>(null);
  takenNames = $derived(new Set(this.rows.map((r) => normaliseName(r.name))));

  #loadSeq = 0;
  /** Events that arrive while a list call is in flight, replayed on its result. */
  #pending: CredentialEvent[] | null = null;
  #unlisten: (() => void) | null = null;
  /** Events waiting for the next flush; bursts are applied in one list copy. */
  #queue: CredentialEvent[] = [];
  #flushTimer: ReturnType<typeof setTimeout> | null = null;

  /** Subscribes to backend events, then loads the list and vault status. */
  async start(): Promise<void> {
    try {
      this.#unlisten = await api.onCredentialEvent((e) => this.#onEvent(e));
      performance.mark("entryguard:listening");
    } catch (err) {
      this.#report(api.toApiError(err));
    }
    await Promise.all([this.load(), this.refreshVault(), this.loadSettings()]);
  }

  async loadSettings(): Promise<void> {
    try {
      this.settings = await api.getSettings();
    } catch (err) {
      this.#report(api.toApiError(err));
    }
  }

  /** Saves settings, then reloads the list so every row's key_stale follows. Rejects with an ApiError. */
  async saveSettings(next: Settings): Promise<Settings> {
    try {
      this.settings = await api.setSettings(next);
    } catch (err) {
      throw api.toApiError(err);
    }
    void this.load();
    return this.settings;
  }

  stop(): void {
    this.#unlisten?.();
    this.#unlisten = null;
  }

  async load(): Promise<void> {
    const seq = ++this.#loadSeq;
    this.#pending = [];
    if (!this.firstLoadDone) this.loadState = "loading";
    try {
      const started = performance.now();
      const list = await api.listCredentials();
      if (!this.firstLoadDone) {
        this.firstListAt = performance.now();
        this.firstListMs = this.firstListAt - started;
      }
      if (seq !== this.#loadSeq) return;
      this.#flush();
      this.rows = applyEvents(list, this.#pending);
      this.loadState = "ready";
    } catch (err) {
      if (seq !== this.#loadSeq) return;
      this.loadState = this.firstLoadDone && this.loadState === "ready" ? "ready" : "error";
      this.#report(api.toApiError(err));
    } finally {
      if (seq === this.#loadSeq) {
        this.#pending = null;
        this.firstLoadDone = true;
      }
    }
  }

  async refreshVault(): Promise<void> {
    try {
      this.vault = await api.vaultStatus();
    } catch (err) {
      const e = api.toApiError(err);
      showToast("error", e.message);
    }
  }

  /** Creates a credential and shows the row at once. Rejects with an ApiError. */
  async create(input: NewCredential): Promise<CredentialView> {
    try {
      const row = await api.createCredential(input);
      this.rows = upsertRow(this.rows, row);
      return row;
    } catch (err) {
      const e = api.toApiError(err);
      if (api.VAULT_ERROR_CODES.has(e.code)) void this.refreshVault();
      throw e;
    }
  }

  /** Replaces a credential's secret in place; the row turns Unverified at once. Rejects with an ApiError. */
  async rotate(id: string, spec: ProviderSpec): Promise<CredentialView> {
    try {
      const row = await api.rotateCredential(id, spec);
      this.rows = upsertRow(this.rows, row);
      return row;
    } catch (err) {
      const e = api.toApiError(err);
      if (api.VAULT_ERROR_CODES.has(e.code)) void this.refreshVault();
      if (e.code === "not_found") this.rows = removeRow(this.rows, id);
      throw e;
    }
  }

  /** Imports AWS profiles; the new rows show at once and verify in the background. Rejects with an ApiError. */
  async importProfiles(path: string | null, selections: ImportSelection[]): Promise<ImportResult> {
    try {
      const result = await api.importProfiles(path, selections);
      let rows = this.rows;
      for (const row of result.imported) rows = upsertRow(rows, row);
      this.rows = rows;
      return result;
    } catch (err) {
      const e = api.toApiError(err);
      if (api.VAULT_ERROR_CODES.has(e.code)) void this.refreshVault();
      throw e;
    }
  }

  /** Discards stored secrets and starts a new key, then reloads. Rejects with an ApiError. */
  async resetVault(confirmation: string): Promise<void> {
    try {
      this.vault = await api.resetVault(confirmation);
    } catch (err) {
      throw api.toApiError(err);
    }
    await this.load();
  }

  async remove(id: string): Promise<boolean> {
    try {
      await api.deleteCredential(id);
      this.rows = removeRow(this.rows, id);
      return true;
    } catch (err) {
      const e = api.toApiError(err);
      if (e.code === "not_found") {
        // Already gone (e.g. deleted from the CLI): the goal is reached.
        this.rows = removeRow(this.rows, id);
        return true;
      }
      this.#report(e);
      return false;
    }
  }

  async verify(id: string): Promise<void> {
    try {
      const row = await api.verifyCredential(id);
      this.rows = upsertRow(this.rows, row);
    } catch (err) {
      const e = api.toApiError(err);
      this.#report(e);
      if (e.code === "not_found") this.rows = removeRow(this.rows, id);
    }
  }

  #onEvent(e: CredentialEvent): void {
    if (e.kind === "reload") {
      void this.load();
      return;
    }
    if (this.#pending !== null) this.#pending.push(e);
    this.#queue.push(e);
    this.#flushTimer ??= setTimeout(() => this.#flush(), 16);
  }

  #flush(): void {
    if (this.#flushTimer !== null) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length > 0) this.rows = applyEvents(this.rows, batch);
  }

  #report(e: ApiError): void {
    showToast("error", e.message);
    if (api.VAULT_ERROR_CODES.has(e.code)) void this.refreshVault();
  }
}

export const credentials = new CredentialsStore();
