// The list store against a stubbed backend: what it asks for, and what events, responses and
// a reload do to the page it holds.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CredentialView } from "./bindings/CredentialView";
import type { CredentialEvent } from "./bindings/CredentialEvent";
import type { ListPage } from "./bindings/ListPage";
import type { ListQuery } from "./bindings/ListQuery";
import type { NewCredential } from "./bindings/NewCredential";
import type { VaultStatus } from "./bindings/VaultStatus";
import { row as testRow } from "./testRows";

const backend = vi.hoisted(() => ({
  listen: null as ((e: CredentialEvent) => void) | null,
  listPage: vi.fn(),
  vaultStatus: vi.fn(),
  getSettings: vi.fn(),
  resetVault: vi.fn(),
  restoreApply: vi.fn(),
  credentialNames: vi.fn(),
  createCredential: vi.fn(),
}));

vi.mock("./api", async (importOriginal) => {
  const real = await importOriginal<typeof import("./api")>();
  return {
    ...real,
    listPage: backend.listPage,
    vaultStatus: backend.vaultStatus,
    getSettings: backend.getSettings,
    resetVault: backend.resetVault,
    restoreApply: backend.restoreApply,
    credentialNames: backend.credentialNames,
    createCredential: backend.createCredential,
    onCredentialEvent: async (cb: (e: CredentialEvent) => void) => {
      backend.listen = cb;
      return () => {};
    },
  };
});

const READY: VaultStatus = { state: "ready", message: "", quarantined: 0 };
const SET_ASIDE = "Secret set aside by a vault reset — rotate it to enter it again";

/** A page of `rows` from the top of a list of `rows.length` credentials. */
function pageOf(rows: CredentialView[], more: Partial<ListPage> = {}): ListPage {
  return { offset: 0, rows, matching: rows.length, total: rows.length, environments: [], ...more };
}

/** The query of the store's last page read. */
const lastQuery = (): ListQuery => backend.listPage.mock.lastCall?.[0] as ListQuery;

let started: { stop(): void } | null = null;
afterEach(() => started?.stop());

/** A fresh store (the module's singleton), started against the stubs; stopped after the test. */
async function startedStore() {
  vi.resetModules();
  const { credentials } = await import("./credentials.svelte");
  started = credentials;
  await credentials.start();
  return credentials;
}

/** Lets pending promise callbacks run. */
const settle = () => new Promise((r) => setTimeout(r, 0));
/** Lets events waiting for their batch (16 ms) be applied. */
const flushed = () => new Promise((r) => setTimeout(r, 30));

beforeEach(() => {
  backend.listen = null;
  const { listen: _, ...stubs } = backend;
  for (const fn of Object.values(stubs)) fn.mockReset();
  backend.listPage.mockResolvedValue(pageOf([testRow({ id: "a", name: "APISIX" })]));
  backend.vaultStatus.mockResolvedValue(READY);
  backend.getSettings.mockResolvedValue({
    key_age_threshold_days: 90,
    recheck_hours: 12,
    notify: true,
    unverified_alert_minutes: 60,
    expiry_warning_days: 14,
  });
});

describe("the page of rows", () => {
  it("asks for what the table shows with a margin, and nothing more while it holds those rows", async () => {
    const store = await startedStore();
    expect(lastQuery()).toMatchObject({ sort: "created_at", dir: "desc", offset: 0, limit: 100 });
    backend.listPage.mockResolvedValue(
      pageOf(Array.from({ length: 100 }, (_, i) => testRow({ id: `r${i}` })), { matching: 5000, total: 5000 }),
    );
    await store.load();
    const reads = backend.listPage.mock.calls.length;
    store.show(10, 30);
    expect(backend.listPage.mock.calls.length, "rows 10–30 are held").toBe(reads);
    store.show(2000, 2020);
    await settle();
    expect(lastQuery()).toMatchObject({ offset: 1940, limit: 140 });
  });

  it("asked again while a read is on its way, reads once more after it, not alongside", async () => {
    const store = await startedStore();
    let answer: (page: ListPage) => void = () => {};
    backend.listPage.mockReturnValueOnce(new Promise((r) => (answer = r)));
    const reads = backend.listPage.mock.calls.length;
    const first = store.load();
    void store.load();
    void store.load();
    expect(backend.listPage.mock.calls.length).toBe(reads + 1);
    answer(pageOf([]));
    await first;
    expect(backend.listPage.mock.calls.length).toBe(reads + 2);
  });

  it("asks anew, with the same rows in view, when the order or a filter changes", async () => {
    const store = await startedStore();
    store.setQuery({ key: "status", dir: "asc" }, { text: "prod", provider: "GCP", status: "", environment: "" });
    await settle();
    expect(lastQuery()).toMatchObject({ sort: "status", dir: "asc", text: "prod", provider: "GCP", status: null });
    const reads = backend.listPage.mock.calls.length;
    store.setQuery({ key: "status", dir: "asc" }, { text: "prod", provider: "GCP", status: "", environment: "" });
    expect(backend.listPage.mock.calls.length, "the same query is not read again").toBe(reads);
  });

  it("shows a changed row in place within a frame, then reads the page again for its order and counts", async () => {
    const store = await startedStore();
    const reads = backend.listPage.mock.calls.length;
    const valid = testRow({ id: "a", name: "APISIX", status: "VALID", updated_at: "2030-01-01T00:00:00Z" });
    backend.listen?.({ kind: "changed", credential: valid });
    await flushed();
    expect(store.page.rows[0]).toBe(valid);
    await vi.waitFor(() => expect(backend.listPage.mock.calls.length).toBe(reads + 1));
  });

  it("applies a burst of events in one update, then reads the page once", async () => {
    const store = await startedStore();
    const reads = backend.listPage.mock.calls.length;
    const pages: unknown[] = [];
    for (let i = 0; i < 500; i++) {
      const at = new Date(Date.UTC(2030, 0, 1, 0, 0, i)).toISOString();
      backend.listen?.({ kind: "changed", credential: testRow({ id: "a", name: "APISIX", updated_at: at }) });
      pages.push(store.page);
    }
    expect(new Set(pages).size, "nothing applied while the burst arrives").toBe(1);
    await flushed();
    expect(store.page.rows[0]?.updated_at).toBe("2030-01-01T00:08:19.000Z");
    await vi.waitFor(() => expect(backend.listPage.mock.calls.length).toBe(reads + 1));
    await new Promise((r) => setTimeout(r, 200));
    expect(backend.listPage.mock.calls.length).toBe(reads + 1);
  });

  it("drops a deleted row and counts it out within a frame", async () => {
    backend.listPage.mockResolvedValue(pageOf([testRow({ id: "a" }), testRow({ id: "b" })], { total: 7 }));
    const store = await startedStore();
    backend.listen?.({ kind: "deleted", id: "a" });
    await flushed();
    expect(store.page.rows.map((r) => r.id)).toEqual(["b"]);
    expect([store.page.matching, store.page.total]).toEqual([1, 6]);
  });

  it("keeps the row a dialog is about current off the page, and lets it go when it is deleted", async () => {
    const store = await startedStore();
    const offPage = testRow({ id: "far", name: "Far away", updated_at: "2025-01-01T00:00:00Z" });
    store.follow(offPage);
    const checked = { ...offPage, status: "INVALID" as const, updated_at: "2025-01-02T00:00:00Z" };
    backend.listen?.({ kind: "changed", credential: checked });
    await flushed();
    expect(store.followed).toBe(checked);
    backend.listen?.({ kind: "changed", credential: offPage });
    await flushed();
    expect(store.followed, "an older copy does not replace it").toBe(checked);
    backend.listen?.({ kind: "deleted", id: "far" });
    await flushed();
    expect(store.followed).toBeNull();
  });

  it("reads the vault's names for forms, and counts a created name as taken", async () => {
    const store = await startedStore();
    backend.credentialNames.mockResolvedValue(["Prod ", "staging"]);
    await store.loadNames();
    expect([...store.takenNames].sort()).toEqual(["prod", "staging"]);
    backend.createCredential.mockResolvedValue(testRow({ id: "new", name: "Fresh" }));
    await store.create({} as NewCredential);
    expect(store.takenNames.has("fresh")).toBe(true);
  });

  it("shows a created row at once, Unverified, before the page read that places it", async () => {
    const store = await startedStore();
    let answer: (page: ListPage) => void = () => {};
    backend.listPage.mockReturnValueOnce(new Promise((r) => (answer = r)));
    const created = testRow({ id: "new", name: "Fresh", status: "UNVERIFIED" });
    backend.createCredential.mockResolvedValue(created);
    await store.create({} as NewCredential);
    expect(store.page.rows[0]).toBe(created);
    expect([store.page.matching, store.page.total]).toEqual([2, 2]);
    answer(pageOf([testRow({ id: "a", name: "APISIX" }), { ...created }]));
    await store.settled();
    expect(store.page.rows.map((r) => r.id)).toEqual(["a", "new"]);
  });
});

describe("a reload event (the store changed in another process)", () => {
  it("reloads the list and the vault status, so a reset by the CLI shows at once", async () => {
    const store = await startedStore();
    expect(store.vault).toEqual(READY);

    backend.listPage.mockResolvedValue(
      pageOf([testRow({ id: "a", name: "APISIX", status: "UNVERIFIED", status_reason: SET_ASIDE })]),
    );
    backend.vaultStatus.mockResolvedValue({ ...READY, quarantined: 1 });
    backend.listen?.({ kind: "reload" });
    await settle();

    expect(store.page.rows[0]?.status_reason).toBe(SET_ASIDE);
    expect(store.vault?.quarantined).toBe(1);
    expect(backend.vaultStatus).toHaveBeenCalledTimes(2);
  });
});

describe("vault status", () => {
  it("keeps the newest answer when two checks finish out of order", async () => {
    const store = await startedStore();
    let answerOld: (v: VaultStatus) => void = () => {};
    backend.vaultStatus
      .mockReturnValueOnce(new Promise<VaultStatus>((r) => (answerOld = r)))
      .mockResolvedValueOnce({ ...READY, quarantined: 2 });
    const older = store.refreshVault();
    await store.refreshVault();
    answerOld({ state: "no_keychain", message: "No keychain service is available.", quarantined: 0 });
    await older;
    expect(store.vault).toEqual({ ...READY, quarantined: 2 });
  });

  it("a refused reset (the key came back, or another process reset first) checks the vault again", async () => {
    const store = await startedStore();
    backend.resetVault.mockRejectedValue({ code: "reset_refused", message: "Nothing was changed.", field: null });
    backend.vaultStatus.mockResolvedValue({ ...READY, quarantined: 3 });
    await expect(store.resetVault("RESET")).rejects.toMatchObject({ code: "reset_refused" });
    await settle();
    expect(store.vault?.quarantined).toBe(3);
  });

  it("a reset shows the status it returns, set-aside secrets included", async () => {
    const store = await startedStore();
    backend.resetVault.mockResolvedValue({ ...READY, quarantined: 1 });
    await store.resetVault("RESET");
    expect(store.vault).toEqual({ ...READY, quarantined: 1 });
  });
});

describe("long tasks (backup, restore)", () => {
  it("hand their progress events to whoever follows them, never to the rows", async () => {
    const store = await startedStore();
    const rowsBefore = store.page.rows;
    const seen: [string, number, number][] = [];
    const stop = store.onProgress((p) => seen.push([p.task, p.done, p.total]));
    backend.listen?.({ kind: "progress", task: "restore", done: 1, total: 2 });
    await settle();
    stop();
    backend.listen?.({ kind: "progress", task: "restore", done: 2, total: 2 });
    await settle();
    expect(seen).toEqual([["restore", 1, 2]]);
    expect(store.page.rows).toBe(rowsBefore);
    expect(backend.listPage).toHaveBeenCalledTimes(1);
  });

  it("a restore reloads the list, so its rows show even if no event comes", async () => {
    const store = await startedStore();
    backend.restoreApply.mockResolvedValue({ restored: 1, renamed: 0, skipped: 0, queued: 1 });
    backend.credentialNames.mockResolvedValue(["APISIX", "Restored"]);
    backend.listPage.mockResolvedValue(
      pageOf([testRow({ id: "a", name: "APISIX" }), testRow({ id: "b", name: "Restored" })]),
    );
    await store.restoreApply("correct horse battery staple", "skip");
    await settle();
    expect(store.page.rows.map((r) => r.name)).toEqual(["APISIX", "Restored"]);
    expect(store.takenNames.has("restored")).toBe(true);
  });
});

describe("a clicked desktop notification", () => {
  it("asks the page to show that row, again on each click, without touching the rows", async () => {
    const store = await startedStore();
    const rowsBefore = store.page.rows;
    backend.listen?.({ kind: "focus", id: "a" });
    await settle();
    const first = store.focusRequest;
    expect(first?.id).toBe("a");
    backend.listen?.({ kind: "focus", id: "a" });
    await settle();
    expect(store.focusRequest?.id).toBe("a");
    expect(store.focusRequest?.seq).toBeGreaterThan(first?.seq ?? 0);
    expect(store.page.rows).toBe(rowsBefore);
    expect(backend.listPage).toHaveBeenCalledTimes(1);
  });
});

describe("the app's first screen (window.__EG_BOOT__)", () => {
  it("draws the boot page before any IPC answers, then keeps the objects a page read finds equal", async () => {
    const newest = [testRow({ id: "b", name: "Newest" })];
    const settings = {
      key_age_threshold_days: 90,
      recheck_hours: 12,
      notify: true,
      unverified_alert_minutes: 60,
      expiry_warning_days: 14,
    };
    const boot = pageOf(newest, { matching: 2, total: 2, environments: ["prod"] });
    (globalThis as { __EG_BOOT__?: unknown }).__EG_BOOT__ = { page: boot, settings };
    let answer: (page: ListPage) => void = () => {};
    backend.listPage.mockReturnValueOnce(new Promise((r) => (answer = r)));
    vi.resetModules();
    const { credentials } = await import("./credentials.svelte");
    const started = credentials.start();
    await vi.waitFor(() => expect(backend.listPage).toHaveBeenCalled());
    expect(credentials.loadState).toBe("ready");
    expect(credentials.page).toEqual(boot);
    expect(credentials.settings).toEqual(settings);
    expect((globalThis as { __EG_BOOT__?: unknown }).__EG_BOOT__, "taken once").toBeUndefined();

    // The page's copy of the boot row is equal: the object on screen stays (nothing redrawn).
    answer(pageOf([{ ...(newest[0] as CredentialView) }, testRow({ id: "a", name: "Older" })]));
    await started;
    expect(credentials.page.rows.map((r) => r.name)).toEqual(["Newest", "Older"]);
    expect(credentials.page.rows[0]).toBe(newest[0]);
  });
});
