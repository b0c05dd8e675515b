// The list store against a stubbed backend: what a "reload" event and a vault reset refresh.
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { CredentialView } from "./bindings/CredentialView";
import type { CredentialEvent } from "./bindings/CredentialEvent";
import type { VaultStatus } from "./bindings/VaultStatus";
import { row as testRow } from "./testRows";

const backend = vi.hoisted(() => ({
  listen: null as ((e: CredentialEvent) => void) | null,
  listCredentials: vi.fn(),
  vaultStatus: vi.fn(),
  getSettings: vi.fn(),
  resetVault: vi.fn(),
  restoreApply: vi.fn(),
}));

vi.mock("./api", async (importOriginal) => {
  const real = await importOriginal<typeof import("./api")>();
  return {
    ...real,
    listCredentials: backend.listCredentials,
    vaultStatus: backend.vaultStatus,
    getSettings: backend.getSettings,
    resetVault: backend.resetVault,
    restoreApply: backend.restoreApply,
    onCredentialEvent: async (cb: (e: CredentialEvent) => void) => {
      backend.listen = cb;
      return () => {};
    },
  };
});

const READY: VaultStatus = { state: "ready", message: "", quarantined: 0 };
const SET_ASIDE = "Secret set aside by a vault reset — rotate it to enter it again";

/** A fresh store (the module's singleton), started against the stubs. */
async function startedStore() {
  vi.resetModules();
  const { credentials } = await import("./credentials.svelte");
  await credentials.start();
  return credentials;
}

/** Lets pending promise callbacks run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  backend.listen = null;
  for (const fn of [backend.listCredentials, backend.vaultStatus, backend.getSettings, backend.resetVault, backend.restoreApply])
    fn.mockReset();
  backend.listCredentials.mockResolvedValue([testRow({ id: "a", name: "APISIX" })]);
  backend.vaultStatus.mockResolvedValue(READY);
  backend.getSettings.mockResolvedValue({
    key_age_threshold_days: 90,
    recheck_hours: 12,
    notify: true,
    unverified_alert_minutes: 60,
    expiry_warning_days: 14,
  });
});

describe("a reload event (the store changed in another process)", () => {
  it("reloads the list and the vault status, so a reset by the CLI shows at once", async () => {
    const store = await startedStore();
    expect(store.vault).toEqual(READY);

    backend.listCredentials.mockResolvedValue([
      testRow({ id: "a", name: "APISIX", status: "UNVERIFIED", status_reason: SET_ASIDE }),
    ]);
    backend.vaultStatus.mockResolvedValue({ ...READY, quarantined: 1 });
    backend.listen?.({ kind: "reload" });
    await settle();

    expect(store.rows[0]?.status_reason).toBe(SET_ASIDE);
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
    const rowsBefore = store.rows;
    const seen: [string, number, number][] = [];
    const stop = store.onProgress((p) => seen.push([p.task, p.done, p.total]));
    backend.listen?.({ kind: "progress", task: "restore", done: 1, total: 2 });
    await settle();
    stop();
    backend.listen?.({ kind: "progress", task: "restore", done: 2, total: 2 });
    await settle();
    expect(seen).toEqual([["restore", 1, 2]]);
    expect(store.rows).toBe(rowsBefore);
    expect(backend.listCredentials).toHaveBeenCalledTimes(1);
  });

  it("a restore reloads the list, so its rows show even if no event comes", async () => {
    const store = await startedStore();
    backend.restoreApply.mockResolvedValue({ restored: 1, renamed: 0, skipped: 0, queued: 1 });
    backend.listCredentials.mockResolvedValue([
      testRow({ id: "a", name: "APISIX" }),
      testRow({ id: "b", name: "Restored" }),
    ]);
    await store.restoreApply("correct horse battery staple", "skip");
    await settle();
    expect(store.rows.map((r) => r.name)).toEqual(["APISIX", "Restored"]);
  });
});

describe("a clicked desktop notification", () => {
  it("asks the page to show that row, again on each click, without touching the rows", async () => {
    const store = await startedStore();
    const rowsBefore = store.rows;
    backend.listen?.({ kind: "focus", id: "a" });
    await settle();
    const first = store.focusRequest;
    expect(first?.id).toBe("a");
    backend.listen?.({ kind: "focus", id: "a" });
    await settle();
    expect(store.focusRequest?.id).toBe("a");
    expect(store.focusRequest?.seq).toBeGreaterThan(first?.seq ?? 0);
    expect(store.rows).toBe(rowsBefore);
    expect(backend.listCredentials).toHaveBeenCalledTimes(1);
  });
});

describe("the app's first screen (window.__EG_BOOT__)", () => {
  it("draws the boot rows and total before the list call answers, then takes the whole list", async () => {
    const newest = [testRow({ id: "b", name: "Newest" })];
    const settings = {
      key_age_threshold_days: 90,
      recheck_hours: 12,
      notify: true,
      unverified_alert_minutes: 60,
      expiry_warning_days: 14,
    };
    (globalThis as { __EG_BOOT__?: unknown }).__EG_BOOT__ = { rows: newest, total: 2, settings };
    let answer: (rows: unknown) => void = () => {};
    backend.listCredentials.mockReturnValueOnce(new Promise((r) => (answer = r)));
    vi.resetModules();
    const { credentials } = await import("./credentials.svelte");
    const started = credentials.start();
    await vi.waitFor(() => expect(backend.listCredentials).toHaveBeenCalled());
    expect(credentials.loadState).toBe("ready");
    expect(credentials.rows.map((r) => r.name)).toEqual(["Newest"]);
    expect(credentials.bootTotal).toBe(2);
    expect(credentials.settings).toEqual(settings);
    expect((globalThis as { __EG_BOOT__?: unknown }).__EG_BOOT__, "taken once").toBeUndefined();

    // The list's copy of the boot row is equal: the object on screen stays (nothing redrawn).
    answer([{ ...(newest[0] as CredentialView) }, testRow({ id: "a", name: "Older" })]);
    await started;
    expect(credentials.rows.map((r) => r.name)).toEqual(["Newest", "Older"]);
    expect(credentials.rows[0]).toBe(newest[0]);
    expect(credentials.bootTotal).toBeNull();
  });
});
