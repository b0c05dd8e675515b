// The credentials list as the UI sees it: loaded once, then kept current by
// "credential-event"s and command responses. Rows live in $state.raw (not a
// deep proxy) because the list can hold 10,000 rows; every change replaces the
// array, and only changed row objects are new.
import * as api from "./api";
import type { ApiError } from "./api";
import type { BackupReport } from "./bindings/BackupReport";
import type { CredentialEvent } from "./bindings/CredentialEvent";
import type { CredentialView } from "./bindings/CredentialView";
import type { ImportResult } from "./bindings/ImportResult";
import type { ImportSelection } from "./bindings/ImportSelection";
import type { ImportSource } from "./bindings/ImportSource";
import type { NewCredential } from "./bindings/NewCredential";
import type { OnConflict } from "./bindings/OnConflict";
import type { ProviderSpec } from "./bindings/ProviderSpec";
import type { RestorePreview } from "./bindings/RestorePreview";
import type { RestoreReport } from "./bindings/RestoreReport";
import type { Settings } from "./bindings/Settings";
import type { VaultStatus } from "./bindings/VaultStatus";
import { applyEvents, keepUnchanged, removeRow, upsertRow } from "./rows";
import { normaliseName } from "./validation";
import { markStartup } from "./startupMarks";
import type { ProgressEvent } from "./taskProgress.svelte";
import { showToast } from "./toasts.svelte";

export type LoadState = "loading" | "ready" | "error";
export type FocusRequest = { id: string; seq: number };

class CredentialsStore {
  rows = $state.raw<readonly CredentialView[]>([]);
  loadState = $state<LoadState>("loading");
  /** Set once the first list call settled (success or failure). */
  firstLoadDone = $state(false);
  vault = $state.raw<VaultStatus | null>(null);
  /** Null until get_settings answered (the key-age threshold is then unknown). */
  settings = $state.raw<Settings | null>(null);
  /**
   * The row a desktop notification was about, set when the admin clicks it ("focus" event);
   * `seq` grows with each click so the same row can be asked for twice. The page shows it.
   */
  focusRequest = $state.raw<FocusRequest | null>(null);
  takenNames = $derived(new Set(this.rows.map((r) => normaliseName(r.name))));
  /**
   * The vault's size while only the app's first screen is shown (the rows are then the newest
   * of the list); null once the whole list is here.
   */
  bootTotal = $state<number | null>(null);

  #loadSeq = 0;
  #vaultSeq = 0;
  /** Events that arrive while a list call is in flight, replayed on its result. */
  #pending: CredentialEvent[] | null = null;
  #unlisten: (() => void) | null = null;
  /** Events waiting for the next flush; bursts are applied in one list copy. */
  #queue: CredentialEvent[] = [];
  #flushTimer: ReturnType<typeof setTimeout> | null = null;
  /** Who follows a long task's progress (a dialog, while it runs); never the rows. */
  #progress = new Set<(p: ProgressEvent) => void>();

  /** Subscribes to backend events, then loads the list and vault status. */
  async start(): Promise<void> {
    const boot = api.takeBoot();
    if (boot) {
      this.rows = boot.rows;
      this.settings = boot.settings;
      this.bootTotal = boot.total;
      this.loadState = "ready";
    }
    const unlisten = await this.#reported(api.onCredentialEvent((e) => this.#onEvent(e)));
    this.#unlisten = unlisten ?? null;
    markStartup("listening");
    await Promise.all([this.load(), this.refreshVault(), this.loadSettings()]);
  }

  async loadSettings(): Promise<void> {
    const settings = await this.#reported(api.getSettings());
    if (settings) this.settings = settings;
  }

  /** Saves settings, then reloads the list so every row's key_stale follows. Rejects with an ApiError. */
  async saveSettings(next: Settings): Promise<Settings> {
    const saved = await this.#call(api.setSettings(next));
    this.settings = saved;
    void this.load();
    return saved;
  }

  stop(): void {
    this.#unlisten?.();
    this.#unlisten = null;
  }

  async load(): Promise<void> {
    const seq = ++this.#loadSeq;
    this.#pending = [];
    if (!this.firstLoadDone && this.bootTotal === null) this.loadState = "loading";
    markStartup("list-requested");
    const list = await this.#reported(api.listCredentials());
    markStartup("list-received");
    if (seq !== this.#loadSeq) return; // a newer load owns the list
    if (list) {
      this.#flush();
      this.rows = applyEvents(keepUnchanged(list, this.rows), this.#pending);
      this.bootTotal = null;
      this.loadState = "ready";
    } else if (this.loadState !== "ready") {
      this.loadState = "error"; // a failed reload keeps the rows already shown
    }
    this.#pending = null;
    this.firstLoadDone = true;
  }

  /** Asks for the vault status; only the newest answer is shown. */
  async refreshVault(): Promise<void> {
    const seq = ++this.#vaultSeq;
    try {
      const status = await api.vaultStatus();
      if (seq === this.#vaultSeq) this.vault = status;
    } catch (err) {
      // Not through #call: a failing status must not ask for itself again.
      if (seq === this.#vaultSeq) showToast("error", api.toApiError(err).message);
    }
  }

  /** Creates a credential and shows the row at once. Rejects with an ApiError. */
  async create(input: NewCredential): Promise<CredentialView> {
    const row = await this.#call(api.createCredential(input));
    this.rows = upsertRow(this.rows, row);
    return row;
  }

  /** Replaces a credential's secret in place; the row turns Unverified at once. Rejects with an ApiError. */
  async rotate(id: string, spec: ProviderSpec): Promise<CredentialView> {
    const row = await this.#call(api.rotateCredential(id, spec), id);
    this.rows = upsertRow(this.rows, row);
    return row;
  }

  /** Imports AWS profiles; the new rows show at once and verify in the background. Rejects with an ApiError. */
  async importProfiles(source: ImportSource, selections: ImportSelection[]): Promise<ImportResult> {
    const result = await this.#call(api.importProfiles(source, selections));
    let rows = this.rows;
    for (const row of result.imported) rows = upsertRow(rows, row);
    this.rows = rows;
    return result;
  }

  /**
   * Backs the vault up to a file the backend asks for (null: the admin cancelled its dialog).
   * Rejects with an ApiError (a weak passphrase: "validation" on field "passphrase").
   */
  backup(passphrase: string, includeAudit: boolean): Promise<BackupReport | null> {
    return this.#call(api.backupVault(passphrase, includeAudit));
  }

  /** Lists a backup the backend asks for (null: cancelled). Rejects with an ApiError. */
  restorePreview(passphrase: string): Promise<RestorePreview | null> {
    return this.#call(api.restorePreview(passphrase));
  }

  /** Restores the backup previewed, then reloads (its rows verify in the background). Rejects with an ApiError. */
  async restoreApply(passphrase: string, onConflict: OnConflict): Promise<RestoreReport> {
    const report = await this.#call(api.restoreApply(passphrase, onConflict));
    void this.load();
    return report;
  }

  /** Follows the "progress" events of long tasks; returns the unsubscribe. */
  onProgress(cb: (p: ProgressEvent) => void): () => void {
    this.#progress.add(cb);
    return () => this.#progress.delete(cb);
  }

  /**
   * Starts a new key, setting the stored secrets aside, then reloads. Rejects with an ApiError;
   * a refused reset (the key came back, or another process reset first) refreshes the banner.
   */
  async resetVault(confirmation: string): Promise<void> {
    const seq = ++this.#vaultSeq;
    const status = await this.#call(api.resetVault(confirmation)).catch((e: ApiError) => {
      if (e.code === "reset_refused") void this.refreshVault();
      throw e;
    });
    if (seq === this.#vaultSeq) this.vault = status;
    await this.load();
  }

  /** Deletes a credential; true once it is gone, which it already may be (e.g. deleted from the CLI). */
  async remove(id: string): Promise<boolean> {
    const gone = await this.#call(api.deleteCredential(id)).then(
      () => true,
      (e: ApiError) => {
        if (e.code === "not_found") return true;
        showToast("error", e.message);
        return false;
      },
    );
    if (gone) this.rows = removeRow(this.rows, id);
    return gone;
  }

  async verify(id: string): Promise<void> {
    const row = await this.#reported(api.verifyCredential(id), id);
    if (row) this.rows = upsertRow(this.rows, row);
  }

  /**
   * Awaits a command and rejects with an ApiError. A keychain error also refreshes the vault
   * banner; "not_found" for `rowId` drops that row (it was deleted elsewhere).
   */
  async #call<T>(command: Promise<T>, rowId?: string): Promise<T> {
    try {
      return await command;
    } catch (err) {
      const e = api.toApiError(err);
      if (api.VAULT_ERROR_CODES.has(e.code)) void this.refreshVault();
      if (e.code === "not_found" && rowId !== undefined) this.rows = removeRow(this.rows, rowId);
      throw e;
    }
  }

  /** #call for commands whose failure only needs telling: a toast, and undefined. */
  #reported<T>(command: Promise<T>, rowId?: string): Promise<T | undefined> {
    return this.#call(command, rowId).catch((e: ApiError) => {
      showToast("error", e.message);
      return undefined;
    });
  }

  #onEvent(e: CredentialEvent): void {
    if (e.kind === "progress") {
      for (const cb of this.#progress) cb(e);
      return;
    }
    if (e.kind === "focus") {
      this.focusRequest = { id: e.id, seq: (this.focusRequest?.seq ?? 0) + 1 };
      return;
    }
    if (e.kind === "reload") {
      // The store changed outside this window (the CLI, a vault reset): the key may have too.
      void this.load();
      void this.refreshVault();
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
}

export const credentials = new CredentialsStore();
