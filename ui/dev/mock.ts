// DEV ONLY: an in-memory stand-in for the Rust backend so the UI can be run
// and screenshotted in a plain browser (`VITE_MOCK=1 npm run dev`). It is
// imported only behind `import.meta.env.VITE_MOCK === "1"` in main.ts and is
// never part of a production build.
//
// URL parameters pick a scenario:
//   ?rows=N           seed N generated rows (default 6; 0 for the empty state)
//   ?vault=STATE      vault_status state (e.g. key_missing)
//   ?listDelay=MS     delay the first list call (loading state)
//   ?fail=create      make create_credential fail with a storage error
//   ?threshold=N      key-age threshold in days (default 90)
//   ?recheck=N        re-check interval in hours (default 12; 0 = automatic re-checks off).
//                     The first seeded row was decided 13 h ago, so it shows as stale
//   ?recheckSecs=N    re-check interval in seconds instead (a decision turns stale N s after it)
//   ?focus=ID         1.5 s after start, act as if the notification about row ID (e.g.
//                     cred-40) was clicked; window.__egMockFocus(id) does it on demand
//   ?quarantined=N    credentials whose secret an earlier vault reset set aside (the note)
//   ?pick=PATH        what the import dialog's "Choose file…" returns (default a fixed fake
//                     path; "cancel" returns null as a cancelled dialog does; a path with
//                     "missing" in it fails to preview like a file that does not exist)
//   ?save=PATH        where "Back up…" writes ("cancel": the save dialog is cancelled)
//   ?backup=PATH      the backup "Choose backup…" opens ("cancel": cancelled; a path with
//                     "damaged" or "newer" in it fails as such a file does). It holds the last
//                     backup made in this browser (kept in localStorage, as a file outlives the
//                     app: restore it on a page with ?rows=0), else a sample whose passphrase
//                     is "correct horse battery staple"
//   ?backupRows=N     use that sample, with N credentials (default 5, three of whose names the
//                     seeded rows have); backups and restores report progress, so N in the
//                     thousands (or ?rows=N) shows the bar
import { mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import type { AuditEvent } from "../src/lib/bindings/AuditEvent";
import type { CredentialDetails } from "../src/lib/bindings/CredentialDetails";
import type { CredentialView } from "../src/lib/bindings/CredentialView";
import type { ListPage } from "../src/lib/bindings/ListPage";
import type { ListQuery } from "../src/lib/bindings/ListQuery";
import type { FieldInfo } from "../src/lib/bindings/FieldInfo";
import type { ImportCandidate } from "../src/lib/bindings/ImportCandidate";
import type { ImportResult } from "../src/lib/bindings/ImportResult";
import type { ImportSelection } from "../src/lib/bindings/ImportSelection";
import type { ProviderSpec } from "../src/lib/bindings/ProviderSpec";
import type { Settings } from "../src/lib/bindings/Settings";
import type { NewCredential } from "../src/lib/bindings/NewCredential";
import type { OnConflict } from "../src/lib/bindings/OnConflict";
import type { Provider } from "../src/lib/bindings/Provider";
import type { RestoreEntry } from "../src/lib/bindings/RestoreEntry";
import type { RestorePreview } from "../src/lib/bindings/RestorePreview";
import type { RestoreReport } from "../src/lib/bindings/RestoreReport";
import type { VaultState } from "../src/lib/bindings/VaultState";
import type { CredentialEvent } from "../src/lib/bindings/CredentialEvent";
import type { ImportSource } from "../src/lib/bindings/ImportSource";
import type { VaultStatus } from "../src/lib/bindings/VaultStatus";
import { freeName, validatePassphrase } from "../src/lib/backup";
import { TYPE_FOR } from "../src/lib/providers";
import { fieldLabel, normaliseName } from "../src/lib/validation";

const params = new URLSearchParams(location.search);
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const DAY = 86_400_000;
const HOUR = 3_600_000;
let settings: Settings = {
  key_age_threshold_days: Number(params.get("threshold") ?? "90"),
  recheck_hours: Number(params.get("recheck") ?? "12"),
  notify: true,
  unverified_alert_minutes: 60,
  expiry_warning_days: 14,
};
let vaultState = (params.get("vault") ?? "ready") as VaultState;
let quarantined = Number(params.get("quarantined") ?? "0");
/** The file "Choose file…" returned last; the backend remembers it for the "chosen" source. */
let chosenFile: string | null = null;
const SET_ASIDE_REASON =
  "Secret set aside by a vault reset — rotate it to enter it again, or restore the old key and run “entryguard vault recover”";

const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** As the backend derives them: key age, staleness, the next scheduled check, expiry warning. */
function aged(row: CredentialView): CredentialView {
  const now = Date.now();
  const since = Date.parse(row.rotated_at ?? row.created_at);
  const days = Math.max(0, Math.floor((now - since) / DAY));
  // ?recheckSecs=N: an interval in seconds, as ENTRYGUARD_RECHECK_SECS does for the E2E tests.
  const interval = params.has("recheckSecs") ? Number(params.get("recheckSecs")) * 1000 : settings.recheck_hours * HOUR;
  const decided = row.status !== "UNVERIFIED" && row.verified_at !== null;
  const staleAt = interval > 0 && row.verified_at !== null ? plus(row.verified_at, interval) : null;
  const retrying = row.status === "UNVERIFIED" && row.next_check_at !== null;
  const expires = row.expires_at === null ? null : Date.parse(row.expires_at);
  return {
    ...row,
    key_age_days: days,
    key_stale: days >= settings.key_age_threshold_days,
    stale_at: staleAt,
    stale: staleAt !== null && now >= Date.parse(staleAt),
    next_check_at: retrying ? row.next_check_at : decided && staleAt !== null ? staleAt : null,
    expires_soon: expires !== null && expires - now <= settings.expiry_warning_days * DAY,
  };
}

/** The audit line of a verification, as the backend writes it. */
function outcome(row: CredentialView): string {
  if (row.status === "VALID") return `VALID — ${row.identity ?? ""}`;
  return `${row.status} — ${row.status_reason ?? ""}`;
}

let seq = 1;
const audit = new Map<string, AuditEvent[]>();
function log(row: CredentialView, kind: string, details: string, at = new Date().toISOString()): void {
  const list = audit.get(row.id) ?? [];
  list.push({ seq: seq++, at, credential_id: row.id, credential_name: row.name, kind, details });
  audit.set(row.id, list);
}

function seed(n: number): CredentialView[] {
  const samples: Partial<CredentialView>[] = [
    {
      name: "AWS Production",
      provider: "AWS",
      type: "ACCESS_KEY",
      environment: "production",
      status: "VALID",
      identity: "arn:aws:iam::123456789012:user/entryguard",
      hint: "AKIA…WXYZ",
      resource_count: 12,
    },
    {
      name: "AWS Staging (old key, rotate before Friday — owner: platform team)",
      provider: "AWS",
      type: "ACCESS_KEY",
      environment: "staging",
      status: "INVALID",
      status_reason:
        "InvalidClientTokenId — the access key ID does not exist; check for typos or a deleted key",
      hint: "AKIA…Q7RT",
      resource_count: 0,
    },
    {
      name: "APISIX gateway",
      provider: "APISIX",
      type: "ADMIN_KEY",
      environment: null,
      status: "UNVERIFIED",
      status_reason: "Unreachable: connection refused — retrying in 40 s",
      next_check_at: new Date(Date.now() + 40_000).toISOString(),
      hint: "apisix.example.com:9180",
      resource_count: 3,
    },
    {
      name: "Azure corp tenant",
      provider: "AZURE",
      type: "CLIENT_SECRET",
      environment: "production",
      status: "VALID",
      identity: "tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 · app entryguard-sync",
      hint: "app 0f7a…9b33",
      resource_count: 1,
    },
    {
      name: "GCP analytics",
      provider: "GCP",
      type: "SERVICE_ACCOUNT_KEY",
      environment: "staging",
      status: "UNVERIFIED",
      checking: true,
      status_reason: "Verifying…",
      hint: "entryguard@analytics-prod.iam.gserviceaccount.com · key 3f2a91cd",
      expires_at: new Date(Date.now() + 5 * DAY + HOUR).toISOString(),
      resource_count: 0,
    },
    {
      name: "<img src=x onerror=alert(1)>",
      provider: "APISIX",
      type: "ADMIN_KEY",
      environment: "dev",
      status: "INVALID",
      status_reason: "401 Unauthorized — the Admin API rejected the key; copy admin_key from config.yaml",
      hint: "127.0.0.1:9180",
      resource_count: 0,
    },
  ];
  const rows: CredentialView[] = [];
  for (let i = 0; i < n; i++) {
    const s = samples[i % samples.length] ?? {};
    const base = s.name ?? "Credential";
    rows.push({
      id: `cred-${i}`,
      name: i < samples.length ? base : `${base} #${i}`,
      provider: s.provider ?? "AWS",
      type: s.type ?? "ACCESS_KEY",
      environment: s.environment ?? null,
      status: s.status ?? "UNVERIFIED",
      status_reason: s.status_reason ?? null,
      checking: s.checking ?? false,
      created_at: i === 0 ? ago(132 * DAY) : i === 3 ? ago(800 * DAY) : ago((i + 1) * 3_600_000 * 7.3),
      updated_at: ago(120_000),
      // The first row was decided 13 h ago: stale under the default 12 h interval.
      verified_at:
        s.status === "UNVERIFIED" && s.checking ? null : i === 0 ? ago(13 * HOUR) : ago(120_000 + i * 1000),
      next_check_at: s.next_check_at ?? null,
      identity: s.identity ?? null,
      hint: s.hint ?? "AKIA…0000",
      resource_count: s.resource_count ?? 0,
      rotated_at: i === 3 ? ago(40 * DAY) : null,
      key_age_days: 0,
      key_stale: false,
      stale_at: null,
      stale: false,
      expires_at: s.expires_at ?? null,
      expires_soon: false,
    });
  }
  return rows.map(aged);
}

let rows = seed(Number(params.get("rows") ?? "6"));
for (const r of rows.slice(0, 50)) {
  log(r, "created", `${r.provider} ${r.type}`, r.created_at);
  if (r.rotated_at) log(r, "rotated", "secret replaced; verification queued", r.rotated_at);
  if (r.verified_at) {
    if (r.status === "VALID") {
      log(r, "verification", "INVALID — InvalidClientTokenId — the access key ID does not exist", ago(3 * DAY));
      log(r, "verification", "UNVERIFIED — Unreachable: connection timed out", ago(2 * DAY));
    }
    log(r, "verification", outcome(r), r.verified_at);
  }
}
let firstList = true;

function send(event: CredentialEvent): void {
  void emit("credential-event", event);
}

/** As the backend's: only non-secret fields (a key id, a host, an app id, an account). */
function hintFor(input: ProviderSpec): string {
  const ends = (id: string) => `${id.slice(0, 4)}…${id.slice(-4)}`;
  switch (input.provider) {
    case "AWS":
      return ends(input.fields.access_key_id);
    case "APISIX":
      try {
        return new URL(input.fields.endpoint).host;
      } catch {
        return "APISIX";
      }
    case "AZURE":
      return `app ${ends(input.fields.client_id)}`;
    case "GCP":
      return "service account";
  }
}

/** Ends the checks of these rows in 1.5 s: Valid, or Invalid when the name says "bad". */
function finishChecks(ids: readonly string[]): void {
  setTimeout(() => {
    const wanted = new Set(ids);
    const now = new Date().toISOString();
    const checked: CredentialView[] = [];
    rows = rows.map((row) => {
      if (!wanted.has(row.id)) return row;
      const ok = !row.name.toLowerCase().includes("bad");
      const next: CredentialView = aged({
        ...row,
        checking: false,
        next_check_at: null,
        status: ok ? "VALID" : "INVALID",
        status_reason: ok
          ? null
          : "SignatureDoesNotMatch — the secret access key is wrong; copy it again from the AWS console",
        identity: ok ? `arn:aws:iam::123456789012:user/${row.name.replace(/\s+/g, "-")}` : null,
        verified_at: now,
        updated_at: now,
      });
      checked.push(next);
      return next;
    });
    for (const next of checked) {
      log(next, "verification", outcome(next));
      send({ kind: "changed", credential: next });
    }
  }, 1500);
}

const finishCheck = (id: string): void => finishChecks([id]);

/** Reports a long task's progress about every 1%, as the backend does (~2 s for a large one). */
async function reportProgress(task: string, total: number): Promise<void> {
  const step = Math.max(1, Math.floor(total / 100));
  const pause = total > 500 ? 20 : 5;
  for (let done = 1; done <= total; done++) {
    if (done !== total && done % step !== 0) continue;
    send({ kind: "progress", task, done, total });
    await new Promise((r) => setTimeout(r, pause));
  }
}

/** A backup as the mock keeps it (the passphrase only hashed): what restore_preview lists. */
type MockBackup = { key: string; created_at: string; entries: RestoreEntry[]; audit_events: number };
const BACKUP_STORE = "entryguard-mock-backup";

async function keyOf(passphrase: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(passphrase));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function sampleBackup(n: number): Promise<MockBackup> {
  const named: [string, Provider, string | null][] = [
    ["AWS Production", "AWS", "production"],
    ["APISIX gateway", "APISIX", null],
    ["AWS DR account", "AWS", "dr"],
    ["Azure corp tenant", "AZURE", "production"],
    ["GCP billing export", "GCP", "staging"],
  ];
  const entries: RestoreEntry[] = [];
  for (let i = 0; i < n; i++) {
    const [name, provider, environment] = named[i] ?? [`Restored key #${i}`, "AWS", "staging"];
    entries.push({ name, provider, type: TYPE_FOR[provider], environment, exists: false });
  }
  return { key: await keyOf("correct horse battery staple"), created_at: ago(3 * DAY), entries, audit_events: n * 4 };
}

/** The last backup made in this browser, else a sample. */
async function storedBackup(): Promise<MockBackup> {
  const stored = params.has("backupRows") ? null : localStorage.getItem(BACKUP_STORE);
  return stored ? (JSON.parse(stored) as MockBackup) : sampleBackup(Number(params.get("backupRows") ?? "5"));
}
/** The file restore_preview read. */
let chosenBackup: string | null = null;
const WRONG_PASSPHRASE = {
  code: "wrong_passphrase",
  message: "The passphrase does not open this backup. Check it (it is case-sensitive) and try again; nothing was changed.",
  field: null,
};

function fieldsOf(row: CredentialView): FieldInfo[] {
  switch (row.provider) {
    case "AWS":
      return [
        { key: "access_key_id", label: fieldLabel("access_key_id"), value: `${row.hint.slice(0, 4)}IOSFODNN7EX${row.hint.slice(-4)}`.slice(0, 20) },
        { key: "region", label: fieldLabel("region"), value: "eu-west-1" },
      ];
    case "APISIX":
      return [{ key: "endpoint", label: fieldLabel("endpoint"), value: "https://apisix.example.com:9180" }];
    case "AZURE":
      return [
        { key: "tenant_id", label: fieldLabel("tenant_id"), value: "72f988bf-86f1-41af-91ab-2d7cd011db47" },
        { key: "client_id", label: fieldLabel("client_id"), value: "0f7a7d2e-3c1b-4b8e-9a51-2f0e6c1d9b33" },
      ];
    case "GCP":
      return [
        { key: "client_email", label: fieldLabel("client_email"), value: "entryguard@analytics-prod.iam.gserviceaccount.com" },
        { key: "project_id", label: fieldLabel("project_id"), value: "analytics-prod" },
        { key: "private_key_id", label: fieldLabel("private_key_id"), value: "3f2a…91cd" },
      ];
  }
}

const MOCK_PROFILES = (): ImportCandidate[] => [
  { profile: "moto-good", access_key_hint: "AKIA…MPLE", region: "us-east-1", name_exists: false, importable: true, reason: null },
  { profile: "bad-key", access_key_hint: "AKIA…WXYZ", region: null, name_exists: false, importable: true, reason: null },
  {
    profile: "Existing",
    access_key_hint: "AKIA…1234",
    region: "eu-central-1",
    name_exists: rows.some((r) => r.name.toLowerCase() === "existing"),
    importable: true,
    reason: null,
  },
  {
    profile: "sso-profile",
    access_key_hint: null,
    region: null,
    name_exists: false,
    importable: false,
    reason: "SSO profile (sso_start_url): it has no static access key; create an IAM user key for EntryGuard instead.",
  },
];

function newRow(name: string, provider: Provider, hint: string, environment: string | null): CredentialView {
  const now = new Date().toISOString();
  return {
    id: `cred-${crypto.randomUUID()}`,
    name,
    provider,
    type: TYPE_FOR[provider],
    environment,
    status: "UNVERIFIED",
    status_reason: "Verifying…",
    checking: true,
    created_at: now,
    updated_at: now,
    verified_at: null,
    next_check_at: null,
    identity: null,
    hint,
    resource_count: 0,
    rotated_at: null,
    key_age_days: 0,
    key_stale: false,
    stale_at: null,
    stale: false,
    expires_at: null,
    expires_soon: false,
  };
}

/** The rows `query` keeps, in its order: what the service's listing does, in a few lines. */
function ordered(all: readonly CredentialView[], query: ListQuery): CredentialView[] {
  const text = query.text.trim().toLowerCase();
  const found = (field: string | null) => field !== null && field.toLowerCase().includes(text);
  const kept = all.filter(
    (r) =>
      (query.provider === null || r.provider === query.provider) &&
      (query.status === null || r.status === query.status) &&
      (query.environment === null || r.environment === query.environment) &&
      (!query.stale || r.stale) &&
      (text === "" || found(r.name) || found(r.identity) || found(r.hint)),
  );
  const value = (r: CredentialView): string | number => {
    if (query.sort === "name") return r.name.toLowerCase();
    if (query.sort === "key_age") return r.key_age_days;
    return r[query.sort];
  };
  const cmp = <T>(a: T, b: T) => (a < b ? -1 : a > b ? 1 : 0);
  const sign = query.dir === "asc" ? 1 : -1;
  // Ties fall back to the default order: newest first.
  return kept.sort(
    (a, b) => sign * cmp(value(a), value(b)) || cmp(b.created_at, a.created_at) || cmp(b.id, a.id),
  );
}

export function installMock(): void {
  const focus = (id: string) => send({ kind: "focus", id });
  (window as unknown as { __egMockFocus: typeof focus }).__egMockFocus = focus;
  const focusId = params.get("focus");
  if (focusId !== null) setTimeout(() => focus(focusId), 1500);
  mockIPC(
    async (cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      switch (cmd) {
        case "list_page": {
          if (firstList) {
            firstList = false;
            const delay = Number(params.get("listDelay") ?? "0");
            if (delay > 0) await new Promise((r) => setTimeout(r, delay));
          }
          const query = a.query as ListQuery;
          const listed = ordered(rows, query);
          const page: ListPage = {
            offset: query.offset,
            rows: listed.slice(query.offset, query.limit === null ? undefined : query.offset + query.limit),
            matching: listed.length,
            total: rows.length,
            environments: [...new Set(rows.flatMap((r) => r.environment ?? []))].sort(),
          };
          return page;
        }
        case "locate_credential": {
          const at = ordered(rows, a.query as ListQuery).findIndex((r) => r.id === a.id);
          return at === -1 ? null : at;
        }
        case "credential_names":
          return rows.map((r) => r.name);
        case "vault_status": {
          const state = vaultState;
          const status: VaultStatus = {
            state,
            message:
              state === "ready"
                ? ""
                : "The vault's master key is missing from the keychain, so stored secrets cannot be opened. Listing and deleting still work. To recover, restore the keychain entry “com.entryguard.desktop” / “vault-0000”; or reset the vault, which sets the stored secrets aside so you can enter them again.",
            quarantined,
          };
          return status;
        }
        case "create_credential": {
          const input = a.input as NewCredential;
          if (params.get("fail") === "create")
            throw {
              code: "storage",
              message: "The database is read-only. Check disk space and permissions of the data folder, then try again.",
              field: null,
            };
          if (rows.some((r) => r.name.toLowerCase() === input.name.toLowerCase()))
            throw { code: "name_taken", message: "A credential with this name already exists.", field: "name" };
          const row = newRow(input.name, input.provider, hintFor(input), input.environment);
          rows = [...rows, row];
          log(row, "created", `${row.provider} ${row.type}`);
          finishCheck(row.id);
          return row;
        }
        case "delete_credential": {
          const id = a.id as string;
          rows = rows.filter((r) => r.id !== id);
          return null;
        }
        case "verify_credential": {
          const id = a.id as string;
          const row = rows.find((r) => r.id === id);
          if (!row) throw { code: "not_found", message: "That credential no longer exists.", field: null };
          const next = { ...row, checking: true, status_reason: "Verifying…", updated_at: new Date().toISOString() };
          rows = rows.map((r) => (r.id === id ? next : r));
          log(next, "verify_requested", "by the administrator");
          finishCheck(id);
          return next;
        }
        case "rotate_credential": {
          const id = a.id as string;
          const spec = a.spec as ProviderSpec;
          const row = rows.find((r) => r.id === id);
          if (!row) throw { code: "not_found", message: "That credential no longer exists.", field: null };
          if (params.get("fail") === "rotate")
            throw { code: "validation", message: "The backend says this key ID is malformed.", field: "access_key_id" };
          const now = new Date().toISOString();
          const next: CredentialView = {
            ...row,
            hint: hintFor(spec),
            status: "UNVERIFIED",
            status_reason: "Verifying…",
            checking: true,
            identity: null,
            updated_at: now,
            rotated_at: now,
            key_age_days: 0,
            key_stale: false,
          };
          rows = rows.map((r) => (r.id === id ? next : r));
          log(next, "rotated", "secret replaced; verification queued");
          finishCheck(id);
          return next;
        }
        case "credential_details": {
          const row = rows.find((r) => r.id === (a.id as string));
          if (!row) throw { code: "not_found", message: "That credential no longer exists.", field: null };
          const details: CredentialDetails = { credential: row, fields: fieldsOf(row), audit: audit.get(row.id) ?? [] };
          return details;
        }
        case "quit":
        case "ui_ready":
          return null;
        case "app_info":
          return {
            name: "EntryGuard",
            version: "0.1.0",
            data_dir: "/home/admin/.local/share/com.entryguard.desktop",
          };
        case "get_settings":
          return settings;
        case "set_settings": {
          const next = a.settings as Settings;
          const ranges: [keyof Settings, number, number][] = [
            ["key_age_threshold_days", 1, 3650],
            ["recheck_hours", 0, 720],
            ["unverified_alert_minutes", 1, 10080],
            ["expiry_warning_days", 1, 365],
          ];
          for (const [field, min, max] of ranges) {
            const n = next[field] as number;
            if (!Number.isInteger(n) || n < min || n > max)
              throw { code: "validation", message: `Must be a whole number from ${min} to ${max}.`, field };
          }
          settings = { ...next };
          rows = rows.map(aged);
          return settings;
        }
        case "choose_import_file": {
          const pick = params.get("pick") ?? "/home/admin/Downloads/aws-credentials";
          if (pick === "cancel") return null;
          chosenFile = pick;
          return pick;
        }
        case "import_preview": {
          const source = a.source as ImportSource;
          const file = source === "chosen" ? chosenFile : "/home/admin/.aws/credentials";
          if (file === null)
            throw { code: "validation", message: "Choose a file first.", field: "source" };
          if (file.includes("missing"))
            throw { code: "validation", message: `No file at ${file}: choose another file.`, field: "source" };
          return { file, candidates: MOCK_PROFILES() };
        }
        case "import_profiles": {
          const selections = a.selections as ImportSelection[];
          const result: ImportResult = { imported: [], skipped: [] };
          for (const sel of selections) {
            if (rows.some((r) => r.name.toLowerCase() === sel.name.toLowerCase())) {
              result.skipped.push({ profile: sel.profile, reason: `a credential named “${sel.name}” exists` });
              continue;
            }
            const row = newRow(sel.name, "AWS", "AKIA…MPLE", null);
            rows = [...rows, row];
            log(row, "imported", `from profile ${sel.profile}`);
            result.imported.push(row);
            finishCheck(row.id);
          }
          return result;
        }
        case "backup_vault": {
          const passphrase = a.passphrase as string;
          const problem = validatePassphrase(passphrase);
          if (problem !== null) throw { code: "validation", message: problem, field: "passphrase" };
          const save = params.get("save") ?? "/home/admin/Backups/entryguard-backup.age";
          if (save === "cancel") return null;
          await reportProgress("backup", rows.length);
          const withAudit = a.includeAudit as boolean;
          const events = withAudit ? [...audit.values()].reduce((n, list) => n + list.length, 0) : 0;
          const written: MockBackup = {
            key: await keyOf(passphrase),
            created_at: new Date().toISOString(),
            entries: rows.map((r) => ({ name: r.name, provider: r.provider, type: r.type, environment: r.environment, exists: false })),
            audit_events: events,
          };
          localStorage.setItem(BACKUP_STORE, JSON.stringify(written));
          return { file: save, credentials: rows.length, audit_events: events };
        }
        case "restore_preview": {
          const file = params.get("backup") ?? "/home/admin/Backups/entryguard-backup.age";
          if (file === "cancel") return null;
          if (file.includes("damaged"))
            throw {
              code: "backup_damaged",
              message: "This backup file is damaged or was altered (it ends early), so it cannot be restored; nothing was changed. Use another copy of the backup.",
              field: null,
            };
          if (file.includes("newer"))
            throw {
              code: "backup_newer",
              message: "This backup was made by a newer EntryGuard (backup format 2; this build reads up to 1). Update EntryGuard, then restore it; nothing was changed.",
              field: null,
            };
          const backup = await storedBackup();
          if ((await keyOf(a.passphrase as string)) !== backup.key) throw WRONG_PASSPHRASE;
          chosenBackup = file;
          const taken = new Set(rows.map((r) => normaliseName(r.name)));
          const preview: RestorePreview = {
            file,
            created_at: backup.created_at,
            credentials: backup.entries.map((e) => ({ ...e, exists: taken.has(normaliseName(e.name)) })),
            audit_events: backup.audit_events,
          };
          return preview;
        }
        case "restore_apply": {
          if (chosenBackup === null)
            throw { code: "validation", message: "Choose a backup first.", field: "file" };
          const backup = await storedBackup();
          if ((await keyOf(a.passphrase as string)) !== backup.key) throw WRONG_PASSPHRASE;
          const onConflict = a.onConflict as OnConflict;
          const taken = new Set(rows.map((r) => normaliseName(r.name)));
          const report: RestoreReport = { restored: 0, renamed: 0, skipped: 0, queued: 0 };
          const restored: CredentialView[] = [];
          for (const entry of backup.entries) {
            let name = entry.name;
            if (taken.has(normaliseName(name))) {
              if (onConflict === "skip") {
                report.skipped++;
                continue;
              }
              name = freeName(name, taken);
              report.renamed++;
            }
            taken.add(normaliseName(name));
            restored.push(newRow(name, entry.provider, "restored", entry.environment));
          }
          await reportProgress("restore", restored.length);
          rows = [...rows, ...restored];
          for (const row of restored) log(row, "restored", `restored from backup ${chosenBackup}`);
          finishChecks(restored.map((r) => r.id));
          report.restored = report.queued = restored.length;
          send({ kind: "reload" });
          return report;
        }
        case "reset_vault": {
          if (a.confirmation !== "RESET")
            throw { code: "validation", message: "Type “RESET” to confirm a vault reset.", field: "confirmation" };
          if (vaultState !== "key_missing" && vaultState !== "wrong_key")
            throw {
              code: "reset_refused",
              message: "The vault's key is in the keychain and opens every secret, so a reset would only set the stored secrets aside. Nothing was changed.",
              field: null,
            };
          // Every credential's secret is set aside, and each waits for a rotation.
          vaultState = "ready";
          quarantined += rows.length;
          const now = new Date().toISOString();
          rows = rows.map((r) => ({
            ...r,
            status: "UNVERIFIED",
            status_reason: SET_ASIDE_REASON,
            checking: false,
            identity: null,
            next_check_at: null,
            updated_at: now,
          }));
          send({ kind: "reload" });
          const status: VaultStatus = { state: vaultState, message: "", quarantined };
          return status;
        }
        default:
          throw { code: "internal", message: `mock: unknown command ${cmd}`, field: null };
      }
    },
    { shouldMockEvents: true },
  );
}
