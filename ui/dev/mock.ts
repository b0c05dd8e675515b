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
import { mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import type { CredentialView } from "../src/lib/bindings/CredentialView";
import type { NewCredential } from "../src/lib/bindings/NewCredential";
import type { VaultState } from "../src/lib/bindings/VaultState";
import type { CredentialEvent } from "../src/lib/bindings/CredentialEvent";

const params = new URLSearchParams(location.search);
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

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
      created_at: ago((i + 1) * 3_600_000 * 7.3),
      updated_at: ago(120_000),
      verified_at: s.status === "UNVERIFIED" && s.checking ? null : ago(120_000 + i * 1000),
      next_check_at: null,
      identity: s.identity ?? null,
      hint: s.hint ?? "AKIA…0000",
      resource_count: s.resource_count ?? 0,
    });
  }
  return rows;
}

let rows = seed(Number(params.get("rows") ?? "6"));
let firstList = true;

function send(event: CredentialEvent): void {
  void emit("credential-event", event);
}

function hintFor(input: NewCredential): string {
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
    send({ kind: "changed", credential: next });
  }, 1500);
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
          const state = (params.get("vault") ?? "ready") as VaultState;
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
          const now = new Date().toISOString();
          const row: CredentialView = {
            id: `cred-${crypto.randomUUID()}`,
            name: input.name,
            provider: input.provider,
            type: input.type ?? "ACCESS_KEY",
            environment: input.environment,
            status: "UNVERIFIED",
            status_reason: "Verifying…",
            checking: true,
            created_at: now,
            updated_at: now,
            verified_at: null,
            next_check_at: null,
            identity: null,
            hint: hintFor(input),
            resource_count: 0,
          };
          rows = [...rows, row];
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
          finishCheck(id);
          return next;
        }
        default:
          throw { code: "internal", message: `mock: unknown command ${cmd}`, field: null };
      }
    },
    { shouldMockEvents: true },
  );
}
