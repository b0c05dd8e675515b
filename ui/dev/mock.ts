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
// import_preview: the path "missing" fails like a file that does not exist.
import { mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import type { AuditEvent } from "../src/lib/bindings/AuditEvent";
import type { CredentialDetails } from "../src/lib/bindings/CredentialDetails";
import type { CredentialView } from "../src/lib/bindings/CredentialView";
import type { FieldInfo } from "../src/lib/bindings/FieldInfo";
import type { ImportCandidate } from "../src/lib/bindings/ImportCandidate";
import type { ImportResult } from "../src/lib/bindings/ImportResult";
import type { ImportSelection } from "../src/lib/bindings/ImportSelection";
import type { ProviderSpec } from "../src/lib/bindings/ProviderSpec";
import type { Settings } from "../src/lib/bindings/Settings";
import type { NewCredential } from "../src/lib/bindings/NewCredential";
import type { VaultState } from "../src/lib/bindings/VaultState";
import type { CredentialEvent } from "../src/lib/bindings/CredentialEvent";

const params = new URLSearchParams(location.search);
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const DAY = 86_400_000;
let settings: Settings = { key_age_threshold_days: Number(params.get("threshold") ?? "90") };
let vaultState = (params.get("vault") ?? "ready") as VaultState;

function aged(row: CredentialView): CredentialView {
  const since = Date.parse(row.rotated_at ?? row.created_at);
  const days = Math.max(0, Math.floor((Date.now() - since) / DAY));
  return { ...row, key_age_days: days, key_stale: days >= settings.key_age_threshold_days };
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
      hint: "edd1…f0b1",
      resource_count: 3,
    },
    {
      name: "Azure corp tenant",
      provider: "AZURE",
      type: "CLIENT_SECRET",
      environment: "production",
      status: "VALID",
      identity: "tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 · app entryguard-sync",
      hint: "Abc~…9xQ",
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
      hint: "entryguard@analytics-prod.iam.gserviceaccount.com",
      resource_count: 0,
    },
    {
      name: "<img src=x onerror=alert(1)>",
      provider: "APISIX",
      type: "ADMIN_KEY",
      environment: "dev",
      status: "INVALID",
      status_reason: "401 Unauthorized — the Admin API rejected the key; copy admin_key from config.yaml",
      hint: "abcd…1234",
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
      verified_at: s.status === "UNVERIFIED" && s.checking ? null : ago(120_000 + i * 1000),
      next_check_at: null,
      identity: s.identity ?? null,
      hint: s.hint ?? "AKIA…0000",
      resource_count: s.resource_count ?? 0,
      rotated_at: i === 3 ? ago(40 * DAY) : null,
      key_age_days: 0,
      key_stale: false,
    });
  }
  return rows.map(aged);
}

let rows = seed(Number(params.get("rows") ?? "6"));
for (const r of rows.slice(0, 50)) {
  log(r, "created", `${r.provider} ${r.type}`, r.created_at);
  if (r.rotated_at) log(r, "rotated", "secret replaced; verification queued", r.rotated_at);
  if (r.verified_at)
    log(r, "verification", r.status === "VALID" ? `Valid: ${r.identity ?? ""}` : `${r.status}: ${r.status_reason ?? ""}`, r.verified_at);
}
let firstList = true;

function send(event: CredentialEvent): void {
  void emit("credential-event", event);
}

function hintFor(input: ProviderSpec): string {
  switch (input.provider) {
    case "AWS":
      return `${input.fields.access_key_id.slice(0, 4)}…${input.fields.access_key_id.slice(-4)}`;
    case "APISIX":
      return `${input.fields.admin_key.slice(0, 4)}…`;
    case "AZURE":
      return `${input.fields.client_secret.slice(0, 3)}…`;
    case "GCP":
      return "service account";
  }
}

function finishCheck(id: string): void {
  setTimeout(() => {
    const row = rows.find((r) => r.id === id);
    if (!row) return;
    const ok = !row.name.toLowerCase().includes("bad");
    const now = new Date().toISOString();
    const next: CredentialView = {
      ...row,
      checking: false,
      status: ok ? "VALID" : "INVALID",
      status_reason: ok
        ? null
        : "SignatureDoesNotMatch — the secret access key is wrong; copy it again from the AWS console",
      identity: ok ? `arn:aws:iam::123456789012:user/${row.name.replace(/\s+/g, "-")}` : null,
      verified_at: now,
      updated_at: now,
    };
    rows = rows.map((r) => (r.id === id ? next : r));
    log(next, "verification", ok ? `Valid: ${next.identity}` : `Invalid: ${next.status_reason}`);
    send({ kind: "changed", credential: next });
  }, 1500);
}

function fieldsOf(row: CredentialView): FieldInfo[] {
  switch (row.provider) {
    case "AWS":
      return [
        { key: "access_key_id", label: "Access Key ID", value: `${row.hint.slice(0, 4)}IOSFODNN7EX${row.hint.slice(-4)}`.slice(0, 20) },
        { key: "region", label: "Region", value: "eu-west-1" },
      ];
    case "APISIX":
      return [{ key: "endpoint", label: "Endpoint URL", value: "https://apisix.example.com:9180" }];
    case "AZURE":
      return [
        { key: "tenant_id", label: "Tenant ID", value: "72f988bf-86f1-41af-91ab-2d7cd011db47" },
        { key: "client_id", label: "Client ID", value: "0f7a7d2e-3c1b-4b8e-9a51-2f0e6c1d9b33" },
      ];
    case "GCP":
      return [
        { key: "client_email", label: "Client email", value: "entryguard@analytics-prod.iam.gserviceaccount.com" },
        { key: "project_id", label: "Project ID", value: "analytics-prod" },
        { key: "private_key_id", label: "Private key ID", value: "3f2a…91cd" },
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

function newRow(name: string, spec: ProviderSpec, environment: string | null): CredentialView {
  const now = new Date().toISOString();
  return {
    id: `cred-${crypto.randomUUID()}`,
    name,
    provider: spec.provider,
    type: spec.provider === "AWS" ? "ACCESS_KEY" : spec.provider === "GCP" ? "SERVICE_ACCOUNT_KEY" : spec.provider === "AZURE" ? "CLIENT_SECRET" : "ADMIN_KEY",
    environment,
    status: "UNVERIFIED",
    status_reason: "Verifying…",
    checking: true,
    created_at: now,
    updated_at: now,
    verified_at: null,
    next_check_at: null,
    identity: null,
    hint: hintFor(spec),
    resource_count: 0,
    rotated_at: null,
    key_age_days: 0,
    key_stale: false,
  };
}

export function installMock(): void {
  mockIPC(
    async (cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      switch (cmd) {
        case "list_credentials": {
          if (firstList) {
            firstList = false;
            const delay = Number(params.get("listDelay") ?? "0");
            if (delay > 0) await new Promise((r) => setTimeout(r, delay));
          }
          return rows;
        }
        case "vault_status": {
          const state = vaultState;
          return {
            state,
            message:
              state === "ready"
                ? "The vault is unlocked."
                : "The encryption key for this vault is not in the keychain. Existing credentials are listed but cannot be verified. Restore the keychain entry from a backup, or delete the credentials and add them again.",
          };
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
          const row = newRow(input.name, input, input.environment);
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
          const n = next.key_age_threshold_days;
          if (!Number.isInteger(n) || n < 1 || n > 3650)
            throw { code: "validation", message: "The threshold must be between 1 and 3650 days.", field: "key_age_threshold_days" };
          settings = { key_age_threshold_days: n };
          rows = rows.map(aged);
          return settings;
        }
        case "import_preview": {
          const path = a.path as string | null;
          if (path === "missing")
            throw { code: "validation", message: "No file at missing: check the path, or leave it empty for ~/.aws/credentials.", field: "path" };
          return { file: path ?? "/home/admin/.aws/credentials", candidates: MOCK_PROFILES() };
        }
        case "import_profiles": {
          const selections = a.selections as ImportSelection[];
          const result: ImportResult = { imported: [], skipped: [] };
          for (const sel of selections) {
            if (rows.some((r) => r.name.toLowerCase() === sel.name.toLowerCase())) {
              result.skipped.push({ profile: sel.profile, reason: `a credential named “${sel.name}” exists` });
              continue;
            }
            const row = newRow(sel.name, {
              provider: "AWS",
              fields: { access_key_id: "AKIAIOSFODNN7EXAMPLE", secret_access_key: "", session_token: null, region: null },
            }, null);
            rows = [...rows, row];
            log(row, "imported", `from profile ${sel.profile}`);
            result.imported.push(row);
            finishCheck(row.id);
          }
          return result;
        }
        case "reset_vault": {
          if (a.confirmation !== "RESET")
            throw { code: "validation", message: "Type RESET to confirm.", field: "confirmation" };
          vaultState = "ready";
          for (const r of rows.slice(0, 50)) log(r, "vault_reset", "stored secrets discarded; rotate to re-enter");
          return { state: vaultState, message: "" };
        }
        default:
          throw { code: "internal", message: `mock: unknown command ${cmd}`, field: null };
      }
    },
    { shouldMockEvents: true },
  );
}
