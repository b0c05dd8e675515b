// The credentials list as the UI sees it: one page of it at a time. The service sorts and
// filters the whole list and sends the rows around what the table shows (a few hundred at
// most), so 10,000 credentials cost the window what a hundred do. The page is kept current
// in place by "credential-event"s and command responses, and read again shortly after any
// change that may move rows or counts. Rows live in $state.raw (not a deep proxy): every
// change replaces the array, and only changed row objects are new.
import * as api from "./api";
import type { ApiError } from "./api";
import type { BackupReport } from "./bindings/BackupReport";
import type { CredentialEvent } from "./bindings/CredentialEvent";
import type { CredentialView } from "./bindings/CredentialView";
import type { ImportResult } from "./bindings/ImportResult";
import type { ImportSelection } from "./bindings/ImportSelection";
import type { ImportSource } from "./bindings/ImportSource";
import type { ListPage } from "./bindings/ListPage";
import type { NewCredential } from "./bindings/NewCredential";
import type { OnConflict } from "./bindings/OnConflict";
import type { ProviderSpec } from "./bindings/ProviderSpec";
import type { RestorePreview } from "./bindings/RestorePreview";
import type { RestoreReport } from "./bindings/RestoreReport";
import type { Settings } from "./bindings/Settings";
import type { VaultStatus } from "./bindings/VaultStatus";
import { applyInPlace, keepUnchanged } from "./rows";
import { normaliseName } from "./validation";
import { markStartup } from "./startupMarks";
import { DEFAULT_SORT, emptyFilters, hasActiveFilters, queryOf, type Filters, type Sort } from "./table";
import type { ProgressEvent } from "./taskProgress.svelte";
import { showToast } from "./toasts.svelte";

export type LoadState = "loading" | "ready" | "error";
export type FocusRequest = { id: string; seq: number };

/** Rows read beyond each end of what the table shows, so scrolling rarely waits. */
const MARGIN = 60;
/** Rows asked for before the table has said what it shows: a tall window's worth. */
const FIRST_ROWS = 40;
/** How soon after a change the page is read again (a burst of changes costs one read). */
const RELOAD_AFTER_MS = 150;

/** A page as the store keeps it: rows are replaced, never changed in place. */
export type Page = Omit<ListPage, "rows"> & { rows: readonly CredentialView[] };

const EMPTY_PAGE: Page = { offset: 0, rows: [], matching: 0, total: 0, environments: [] };

class CredentialsStore {
  /** The rows around what the table shows, where they stand in the list, and its counts. */
  page = $state.raw<Page>(EMPTY_PAGE);
  sort = $state.raw<Sort>(DEFAULT_SORT);
  filters = $state.raw<Filters>(emptyFilters());
  loadState = $state<LoadState>("loading");
  /** Set once the first page read settled (success or failure). */
  firstLoadDone = $state(false);
  vault = $state.raw<VaultStatus | null>(null);
  /** Null until get_settings answered (the key-age threshold is then unknown). */
  settings = $state.raw<Settings | null>(null);
  /**
   * The row a desktop notification was about, set when the admin clicks it ("focus" event);
   * `seq` grows with each click so the same row can be asked for twice. The page shows it.
   */
  focusRequest = $state.raw<FocusRequest | null>(null);
  /**
   * The row an open dialog is about, kept current by events and responses even when it is
   * not on the page; null once it is deleted.
   */
  followed = $state.raw<CredentialView | null>(null);
  /** Every name in the vault, normalised, while a form needs them (see `loadNames`). */
  takenNames = $state.raw<ReadonlySet<string>>(new Set());

  /** The page read on its way, and the one asked for meanwhile (at most one). */
  #current: Promise<void> | null = null;
  #queued: Promise<void> | null = null;
  #vaultSeq = 0;
  #namesSeq = 0;
  /** The rows the table shows, [start, end). */
  #shown = { start: 0, end: FIRST_ROWS };
  /** Events that arrive while a page read is in flight, replayed on its result. */
  #pending: CredentialEvent[] | null = null;
  #unlisten: (() => void) | null = null;
  #reloadTimer: ReturnType<typeof setTimeout> | null = null;
  /** Events waiting for the next flush. */
  #queue: CredentialEvent[] = [];
  #flushTimer: ReturnType<typeof setTimeout> | null = null;
  /** Who follows a long task's progress (a dialog, while it runs); never the rows. */
  #progress = new Set<(p: ProgressEvent) => void>();

  /** The row at `index` of the ordered, filtered list, if it is on the page. */
  rowAt(index: number): CredentialView | undefined {
    return this.page.rows[index - this.page.offset];
  }

  /** Subscribes to backend events, then reads the page, the vault status and the settings. */
  async start(): Promise<void> {
    const boot = api.takeBoot();
    if (boot) {
      this.page = boot.page;
      this.settings = boot.settings;
      this.loadState = "ready";
    }
    const unlisten = await this.#reported(api.onCredentialEvent((e) => this.#onEvent(e)));
    this.#unlisten = unlisten ?? null;
    markStartup("listening");
    await Promise.all([this.load(), this.refreshVault(), this.loadSettings()]);
  }

  stop(): void {
    this.#unlisten?.();
    this.#unlisten = null;
    this.#cancelReload();
    if (this.#flushTimer !== null) clearTimeout(this.#flushTimer);
  }

  /** Orders and filters the list anew (when that changes them); the table stays where it was scrolled to. */
  setQuery(sort: Sort, filters: Filters): void {
    const same = (a: object, b: object) => JSON.stringify(a) === JSON.stringify(b);
    if (same(sort, this.sort) && same(filters, this.filters)) return;
    this.sort = sort;
    this.filters = filters;
    void this.load();
  }

  /** The table shows rows [start, end): reads them unless the page already holds them. */
  show(start: number, end: number): void {
    this.#shown = { start, end };
    const { offset, rows, matching } = this.page;
    const held = start >= offset && Math.min(end, matching) <= offset + rows.length;
    if (!held) void this.load();
  }

  /** Reads the page around row `index` (a notification's row), and resolves once it is here. */
  async reveal(index: number): Promise<void> {
    const height = this.#shown.end - this.#shown.start;
    this.#shown = { start: index, end: index + height };
    await this.load();
  }

  /**
   * Reads the page of what the table shows (with a margin) in the current order. Asked again
   * while a read is on its way (a fast scroll, a burst of events), it reads once more after
   * it, not alongside; either way it resolves once a read that started after the call is in.
   */
  load(): Promise<void> {
    if (this.#current === null) {
      this.#current = this.#read().finally(() => (this.#current = null));
      return this.#current;
    }
    this.#queued ??= this.#current.then(() => {
      this.#queued = null;
      return this.load();
    });
    return this.#queued;
  }

  /** Resolves once the reads asked for so far are in (without asking for one). */
  settled(): Promise<void> {
    return this.#queued ?? this.#current ?? Promise.resolve();
  }

  async #read(): Promise<void> {
    this.#cancelReload();
    this.#pending = [];
    const offset = Math.max(0, this.#shown.start - MARGIN);
    const limit = this.#shown.end + MARGIN - offset;
    markStartup("list-requested");
    const page = await this.#reported(api.listPage(queryOf(this.sort, this.filters, offset, limit)));
    markStartup("list-received");
    if (page) {
      const rows = applyInPlace(keepUnchanged(page.rows, this.page.rows), this.#pending);
      this.page = { ...page, rows };
      this.#follow(rows);
      this.loadState = "ready";
    } else if (this.loadState !== "ready") {
      this.loadState = "error"; // a failed read keeps the rows already shown
    }
    this.#pending = null;
    this.firstLoadDone = true;
  }

  async loadSettings(): Promise<void> {
    const settings = await this.#reported(api.getSettings());
    if (settings) this.settings = settings;
  }

  /** Saves settings, then reads the page again so every row's key_stale follows. Rejects with an ApiError. */
  async saveSettings(next: Settings): Promise<Settings> {
    const saved = await this.#call(api.setSettings(next));
    this.settings = saved;
    void this.load();
    return saved;
  }

  /** Reads every name in the vault, for a form that warns about a name already taken. */
  async loadNames(): Promise<void> {
    const seq = ++this.#namesSeq;
    const names = await this.#reported(api.credentialNames());
    if (names && seq === this.#namesSeq) this.takenNames = new Set(names.map(normaliseName));
  }

  /** Follows the row an open dialog is about (null: none). */
  follow(row: CredentialView | null): void {
    this.followed = row;
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

  /** Creates a credential and shows the row at once; the page read after puts it in its place. Rejects with an ApiError. */
  async create(input: NewCredential): Promise<CredentialView> {
    const row = await this.#call(api.createCredential(input));
    this.#added([row]);
    return row;
  }

  /** Replaces a credential's secret in place; the row turns Unverified at once. Rejects with an ApiError. */
  async rotate(id: string, spec: ProviderSpec): Promise<CredentialView> {
    const row = await this.#call(api.rotateCredential(id, spec), id);
    this.#changed(row);
    return row;
  }

  /** Imports AWS profiles; the new rows show at once and verify in the background. Rejects with an ApiError. */
  async importProfiles(source: ImportSource, selections: ImportSelection[]): Promise<ImportResult> {
    const result = await this.#call(api.importProfiles(source, selections));
    this.#added(result.imported);
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

  /** Restores the backup previewed, then reads the page again (its rows verify in the background). Rejects with an ApiError. */
  async restoreApply(passphrase: string, onConflict: OnConflict): Promise<RestoreReport> {
    const report = await this.#call(api.restoreApply(passphrase, onConflict));
    void this.load();
    void this.loadNames();
    return report;
  }

  /** Follows the "progress" events of long tasks; returns the unsubscribe. */
  onProgress(cb: (p: ProgressEvent) => void): () => void {
    this.#progress.add(cb);
    return () => this.#progress.delete(cb);
  }

  /**
   * Starts a new key, setting the stored secrets aside, then reads the page again. Rejects
   * with an ApiError; a refused reset (the key came back, or another process reset first)
   * refreshes the banner.
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
    if (gone) this.#deleted(id);
    return gone;
  }

  async verify(id: string): Promise<void> {
    const row = await this.#reported(api.verifyCredential(id), id);
    if (row) this.#changed(row);
  }

  /** A row changed: shown in place at once, and the page read again soon (it may move). */
  #changed(row: CredentialView): void {
    this.#apply([{ kind: "changed", credential: row }]);
  }

  /** A row is gone: it leaves the page at once, and the page is read again soon. */
  #deleted(id: string): void {
    this.#apply([{ kind: "deleted", id }]);
  }

  /**
   * Changes and deletions, to the rows on the page and the followed row, in one update; the
   * page is read again soon for what they move (order, counts, rows that came or went).
   */
  #apply(events: readonly CredentialEvent[]): void {
    const { rows, matching, total } = this.page;
    const next = applyInPlace(rows, events);
    if (next !== rows) {
      const gone = rows.length - next.length;
      this.page = { ...this.page, rows: next, matching: matching - gone, total: total - gone };
    }
    if (this.followed) this.followed = applyInPlace([this.followed], events)[0] ?? null;
    this.#reloadSoon();
  }

  #flush(): void {
    if (this.#flushTimer !== null) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length > 0) this.#apply(batch);
  }

  /**
   * Credentials just stored: their names are taken from now on, and their rows show at once
   * (Unverified, as the product page asks) at the top of an unfiltered list's first page, the
   * newest-first place, until the page read after puts them where the order says.
   */
  #added(rows: readonly CredentialView[]): void {
    const names = new Set(this.takenNames);
    for (const r of rows) names.add(normaliseName(r.name));
    this.takenNames = names;
    const page = this.page;
    const fresh = rows.filter((r) => !page.rows.some((p) => p.id === r.id));
    if (page.offset === 0 && !hasActiveFilters(this.filters) && fresh.length > 0) {
      const n = fresh.length;
      this.page = { ...page, rows: [...fresh, ...page.rows], matching: page.matching + n, total: page.total + n };
    }
    void this.load();
  }

  /** The followed row as the page now holds it. */
  #follow(rows: readonly CredentialView[]): void {
    const id = this.followed?.id;
    const row = id === undefined ? undefined : rows.find((r) => r.id === id);
    if (row) this.followed = row;
  }

  #reloadSoon(): void {
    this.#reloadTimer ??= setTimeout(() => {
      this.#reloadTimer = null;
      void this.load();
    }, RELOAD_AFTER_MS);
  }

  #cancelReload(): void {
    if (this.#reloadTimer !== null) clearTimeout(this.#reloadTimer);
    this.#reloadTimer = null;
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
      if (e.code === "not_found" && rowId !== undefined) this.#deleted(rowId);
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
    // A thousand checks finishing together are one update, not a thousand.
    this.#queue.push(e);
    this.#flushTimer ??= setTimeout(() => this.#flush(), 16);
  }
}

export const credentials = new CredentialsStore();
