// Pure validation for the Add Credential form. It mirrors the backend's rules
// so admins see what is wrong (and how to fix it) while typing; the backend
// still validates everything. Labels and length bounds come from the backend's
// field table (bindings/fields.ts, generated); the shape rules are held to the
// backend's by the shared cases in validation-cases.json (validationCases.test.ts).
// Messages never echo secret values.
import type { FieldInfo } from "./bindings/FieldInfo";
import { FIELDS } from "./bindings/fields";
import type { NewCredential } from "./bindings/NewCredential";
import type { Provider } from "./bindings/Provider";
import type { ProviderSpec } from "./bindings/ProviderSpec";
import { TYPE_FOR } from "./providers";

/** A field an admin types, from the backend's field table. */
export type InputField = Extract<(typeof FIELDS)[number], { input: true }>["key"];
/** Every control of the form: the typed fields plus the provider and type selects. */
export type FieldName = InputField | "provider" | "type";

type Spec = (typeof FIELDS)[number];

/** The backend's spec of a field. */
export function fieldSpec(key: Spec["key"]): Spec {
  const spec = FIELDS.find((f) => f.key === key);
  if (spec === undefined) throw new Error(`no field ${key}`);
  return spec;
}

/** The label people see for a field, e.g. "Secret Access Key". */
export function fieldLabel(key: Spec["key"]): string {
  return fieldSpec(key).label;
}

export type FormState = {
  name: string;
  provider: Provider;
  environment: string;
  access_key_id: string;
  secret_access_key: string;
  session_token: string;
  region: string;
  endpoint: string;
  admin_key: string;
  tenant_id: string;
  client_id: string;
  client_secret: string;
  service_account_json: string;
};

export type FormErrors = Partial<Record<FieldName, string>>;

export function emptyForm(provider: Provider = "AWS"): FormState {
  return {
    name: "",
    provider,
    environment: "",
    access_key_id: "",
    secret_access_key: "",
    session_token: "",
    region: "",
    endpoint: "",
    admin_key: "",
    tenant_id: "",
    client_id: "",
    client_secret: "",
    service_account_json: "",
  };
}

/** Provider-specific fields, in the order the form shows them. */
export const PROVIDER_FIELDS: Readonly<Record<Provider, readonly FieldName[]>> = {
  AWS: ["access_key_id", "secret_access_key", "session_token", "region"],
  APISIX: ["endpoint", "admin_key"],
  AZURE: ["tenant_id", "client_id", "client_secret"],
  GCP: ["service_account_json"],
};

/** All fields the form shows for a provider, in tab order. */
export function fieldsFor(provider: Provider): FieldName[] {
  return ["name", "provider", "type", "environment", ...PROVIDER_FIELDS[provider]];
}

export const NAME_MAX = fieldSpec("name").max_len;
export const ENVIRONMENT_MAX = fieldSpec("environment").max_len;
export const GCP_REQUIRED_KEYS = [
  "project_id",
  "client_email",
  "private_key_id",
  "private_key",
  "token_uri",
] as const;

const ACCESS_KEY_RE = /^(AKIA|ASIA)[A-Z0-9]{16}$/;
const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function normaliseName(name: string): string {
  return name.trim().toLowerCase();
}

/** Characters as the backend counts them (code points, not UTF-16 units). */
const charCount = (s: string): number => [...s].length;
/** Trims as the backend does: Unicode white space, but not U+FEFF (which JS's trim drops). */
const trimLikeBackend = (s: string): string => s.replace(/^[^\S\uFEFF]+|[^\S\uFEFF]+$/g, "");

/** Control and format characters (line breaks, escapes, zero-width and bidi marks). */
const HIDDEN_RE = /[\p{Cc}\p{Cf}]/u;

/** A label people type (name, environment): within its length, no control characters. */
function labelTextProblem(key: "name" | "environment", t: string, example: string): string | null {
  const n = charCount(t);
  const max = fieldSpec(key).max_len;
  const label = fieldLabel(key);
  if (n > max) return `${label} is ${n} characters; shorten it to ${max} or fewer, e.g. “${example}”.`;
  if (HIDDEN_RE.test(t))
    return `${label} cannot contain control or invisible characters (tabs, line breaks, zero-width or text-direction marks).`;
  return null;
}

export function validateName(name: string, takenNames: ReadonlySet<string>): string | null {
  const t = trimLikeBackend(name);
  if (t.length === 0) return "Enter a name, e.g. “AWS Production”.";
  const problem = labelTextProblem("name", t, "AWS Production");
  if (problem !== null) return problem;
  if (takenNames.has(normaliseName(t)))
    return "A credential with this name already exists (names ignore case); choose a different name.";
  return null;
}

export function validateEnvironment(env: string): string | null {
  const t = trimLikeBackend(env);
  return t.length === 0 ? null : labelTextProblem("environment", t, "production");
}

/** A secret's length against the field table: required, at least min, at most max. */
function secretLengthProblem(key: InputField, t: string, empty: string): string | null {
  const { min_len: min, max_len: max, label } = fieldSpec(key);
  const n = charCount(t);
  if (n === 0) return empty;
  if (n < min) return `${label} looks too short (under ${min} characters); paste the whole value.`;
  if (n > max) return `${label} is longer than ${max} characters; paste only the value itself.`;
  return null;
}

export function validateAccessKeyId(value: string): string | null {
  const t = value.trim();
  const label = fieldLabel("access_key_id");
  if (t.length === 0) return `Enter the ${label}; it starts with AKIA or ASIA.`;
  if (ACCESS_KEY_RE.test(t)) return null;
  const base = `${label} must start with AKIA or ASIA followed by 16 upper-case letters or digits (20 characters)`;
  if (t.length !== 20) return `${base}; you entered ${t.length}.`;
  if (!/^(AKIA|ASIA)/.test(t.toUpperCase())) return `${base}; yours starts with something else.`;
  if (/[a-z]/.test(t)) return `${base}; yours contains lower-case letters.`;
  return `${base}; yours contains characters other than letters and digits.`;
}

export function validateSecretAccessKey(value: string): string | null {
  const t = value.trim();
  const { max_len: length, label } = fieldSpec("secret_access_key");
  if (t.length === 0) return `Enter the ${label} (${length} characters).`;
  if (charCount(t) !== length)
    return `${label} must be exactly ${length} characters; you entered ${charCount(t)}. Copy it again from the AWS console or the downloaded CSV.`;
  return null;
}

export function validateSessionToken(token: string, accessKeyId: string): string | null {
  if (accessKeyId.trim().startsWith("ASIA") && token.trim().length === 0)
    return `Keys starting with ASIA are temporary and need a ${fieldLabel("session_token")}; paste the token issued with the key.`;
  return null;
}

export function validateRegion(value: string): string | null {
  const t = value.trim();
  if (t.length === 0) return null;
  if (!REGION_RE.test(t) || t.length > fieldSpec("region").max_len)
    return `${fieldLabel("region")} must look like us-east-1 (lower-case letters, digits and hyphens); leave it empty to use us-east-1.`;
  return null;
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === "localhost" || h === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export function validateEndpoint(value: string): string | null {
  const t = value.trim();
  const example = "e.g. https://apisix.example.com:9180";
  if (t.length === 0) return `Enter the APISIX Admin API URL, ${example}.`;
  let url: URL;
  try {
    url = new URL(t);
  } catch {
    return `Enter a full URL including https://, ${example}.`;
  }
  if (url.username || url.password)
    return `Remove the user name and password from the URL; put the key in ${fieldLabel("admin_key")} instead.`;
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:") {
    if (isLoopbackHost(url.hostname)) return null;
    return "Use https:// for this host; plain http:// is allowed only for localhost, 127.x.x.x or [::1].";
  }
  return `${fieldLabel("endpoint")} must start with https:// (or http:// for localhost), ${example}.`;
}

export function validateAdminKey(value: string): string | null {
  return secretLengthProblem(
    "admin_key",
    value.trim(),
    `Enter the ${fieldLabel("admin_key")} (the admin key from APISIX's config.yaml).`,
  );
}

export function validateGuid(value: string, key: "tenant_id" | "client_id"): string | null {
  const t = value.trim();
  const label = fieldLabel(key);
  const where =
    key === "tenant_id"
      ? "find it on Microsoft Entra ID › Overview"
      : "use the Application (client) ID from the app registration's Overview";
  if (t.length === 0) return `Enter the ${label}; ${where}.`;
  if (!GUID_RE.test(t))
    return `${label} must be a GUID like 00000000-0000-0000-0000-000000000000 (8-4-4-4-12 hex digits); ${where}.`;
  return null;
}

export function validateClientSecret(value: string): string | null {
  return secretLengthProblem(
    "client_secret",
    value.trim(),
    "Enter the client secret's Value (not its Secret ID) from Certificates & secrets.",
  );
}

export function validateServiceAccountJson(value: string): string | null {
  const t = value.trim();
  if (t.length === 0)
    return "Paste the service account key JSON, or choose the .json file you downloaded from Google Cloud.";
  let parsed: unknown;
  try {
    parsed = JSON.parse(t);
  } catch {
    // Never include the parser's message: it can quote parts of the private key.
    return "This is not valid JSON; paste the whole key file, from the opening { to the closing }.";
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    return "The key must be a JSON object ({ … }); paste the whole key file.";
  const obj = parsed as Record<string, unknown>;
  if (obj.type !== "service_account")
    return 'The key\'s "type" must be "service_account"; create a key under IAM › Service accounts › Keys (user or external-account credentials are not supported).';
  const missing = GCP_REQUIRED_KEYS.filter((k) => typeof obj[k] !== "string" || obj[k] === "");
  if (missing.length > 0)
    return `The key is missing ${missing.join(", ")}; download a new JSON key for the service account.`;
  if (!String(obj.private_key).includes("PRIVATE KEY-----"))
    return "The key's private_key is not a PEM private key; download a new JSON key for the service account.";
  if (validateEndpoint(String(obj.token_uri)) !== null)
    return "The key's token_uri must be an https:// URL (http:// only for localhost); download a new JSON key for the service account.";
  return null;
}

/**
 * The Rotate dialog's fields: only the provider's own (name, provider, type and environment
 * stay). Same names, order and rules as the Add form.
 */
export function rotateFieldsFor(provider: Provider): FieldName[] {
  return [...PROVIDER_FIELDS[provider]];
}

/** Validates one field of the form. Fields not shown for the provider pass. */
export function validateField(
  field: FieldName,
  form: FormState,
  takenNames: ReadonlySet<string>,
): string | null {
  if (!fieldsFor(form.provider).includes(field)) return null;
  switch (field) {
    case "name":
      return validateName(form.name, takenNames);
    case "provider":
    case "type":
      return null;
    case "environment":
      return validateEnvironment(form.environment);
    case "access_key_id":
      return validateAccessKeyId(form.access_key_id);
    case "secret_access_key":
      return validateSecretAccessKey(form.secret_access_key);
    case "session_token":
      return validateSessionToken(form.session_token, form.access_key_id);
    case "region":
      return validateRegion(form.region);
    case "endpoint":
      return validateEndpoint(form.endpoint);
    case "admin_key":
      return validateAdminKey(form.admin_key);
    case "tenant_id":
      return validateGuid(form.tenant_id, "tenant_id");
    case "client_id":
      return validateGuid(form.client_id, "client_id");
    case "client_secret":
      return validateClientSecret(form.client_secret);
    case "service_account_json":
      return validateServiceAccountJson(form.service_account_json);
  }
}

/** Validates every field shown (by default: the Add form's fields for the provider). */
export function validateForm(
  form: FormState,
  takenNames: ReadonlySet<string>,
  fields: readonly FieldName[] = fieldsFor(form.provider),
): FormErrors {
  const errors: FormErrors = {};
  for (const field of fields) {
    const msg = validateField(field, form, takenNames);
    if (msg !== null) errors[field] = msg;
  }
  return errors;
}

/** The first field (in form order) that has an error, if any. */
export function firstInvalid(
  form: FormState,
  errors: FormErrors,
  fields: readonly FieldName[] = fieldsFor(form.provider),
): FieldName | null {
  return fields.find((f) => errors[f] !== undefined) ?? null;
}

function optional(value: string): string | null {
  const t = value.trim();
  return t.length === 0 ? null : t;
}

/**
 * The provider's fields as the backend takes them (create and rotate). Only the
 * selected provider's fields are sent; values are trimmed (keys pasted from
 * consoles often carry a trailing newline).
 */
export function toProviderSpec(form: FormState): ProviderSpec {
  switch (form.provider) {
    case "AWS":
      return {
        provider: "AWS",
        fields: {
          access_key_id: form.access_key_id.trim(),
          secret_access_key: form.secret_access_key.trim(),
          session_token: optional(form.session_token),
          region: optional(form.region),
        },
      };
    case "GCP":
      return {
        provider: "GCP",
        fields: { service_account_json: form.service_account_json.trim() },
      };
    case "AZURE":
      return {
        provider: "AZURE",
        fields: {
          tenant_id: form.tenant_id.trim(),
          client_id: form.client_id.trim(),
          client_secret: form.client_secret.trim(),
        },
      };
    case "APISIX":
      return {
        provider: "APISIX",
        fields: { endpoint: form.endpoint.trim(), admin_key: form.admin_key.trim() },
      };
  }
}

/** Builds the create payload: name, environment and type, plus the provider's fields. */
export function toNewCredential(form: FormState): NewCredential {
  return {
    name: form.name.trim(),
    environment: optional(form.environment),
    type: TYPE_FOR[form.provider],
    ...toProviderSpec(form),
  };
}

/** Non-secret fields the Rotate form keeps, prefilled from the details. */
const KEPT_FIELDS: readonly FieldName[] = ["region", "endpoint", "tenant_id", "client_id"];

/**
 * A form field's label from the backend's field table. In the Rotate form, what the admin types
 * anew (the new key and its secrets) reads "New …"; the kept fields keep their label.
 */
export function formLabel(key: InputField, mode: "add" | "rotate" = "add"): string {
  const label = fieldLabel(key);
  return mode === "rotate" && !KEPT_FIELDS.includes(key) ? `New ${label}` : label;
}

/** The values to prefill in the Rotate form for the provider's kept (non-secret) fields. */
export function keptFieldsFrom(provider: Provider, fields: readonly FieldInfo[]): Partial<FormState> {
  const out: Partial<Record<FieldName, string>> = {};
  for (const name of PROVIDER_FIELDS[provider]) {
    const hit = KEPT_FIELDS.includes(name) ? fields.find((f) => f.key === name) : undefined;
    if (hit) out[name] = hit.value;
  }
  return out as Partial<FormState>;
}

/** A whole-number setting: its range and the words its messages use. */
export type WholeRange = {
  min: number;
  max: number;
  /** Plural unit, e.g. "days". */
  unit: string;
  example: number;
  /** What the maximum amounts to, e.g. "10 years" (shown when a value is out of range). */
  span?: string;
};

/** A whole number within `range`, typed as text: null when fine, else what to fix. */
export function validateWhole(value: string, range: WholeRange): string | null {
  const { min, max, unit, example, span } = range;
  const t = value.trim();
  if (t.length === 0) return `Enter a number of ${unit} between ${min} and ${max}, e.g. ${example}.`;
  if (!/^\d+$/.test(t)) return `Enter whole ${unit} as digits only, e.g. ${example}.`;
  const n = Number(t);
  if (n < min || n > max)
    return `Enter a number of ${unit} between ${min} and ${max}${span ? ` (${span})` : ""}; ${n} is out of range.`;
  return null;
}

export const THRESHOLD_MIN = 1;
export const THRESHOLD_MAX = 3650;
export const THRESHOLD_RANGE: WholeRange = {
  min: THRESHOLD_MIN,
  max: THRESHOLD_MAX,
  unit: "days",
  example: 90,
  span: "10 years",
};
/** Hours between automatic re-checks of a decided status; 0 turns them off. */
export const RECHECK_RANGE: WholeRange = { min: 0, max: 720, unit: "hours", example: 12, span: "30 days" };
/** Minutes a credential may stay Unverified before a desktop notification. */
export const UNVERIFIED_ALERT_RANGE: WholeRange = {
  min: 1,
  max: 10080,
  unit: "minutes",
  example: 60,
  span: "7 days",
};
/** Days before a known expiry that a key is flagged. */
export const EXPIRY_WARNING_RANGE: WholeRange = { min: 1, max: 365, unit: "days", example: 14, span: "a year" };

/** The key-age threshold in the Settings dialog: whole days, 1–3650. */
export function validateThreshold(value: string): string | null {
  return validateWhole(value, THRESHOLD_RANGE);
}

/** Maps a backend error's field (e.g. "fields.access_key_id") onto a form field. */
export function formFieldOf(field: string | null, provider: Provider): FieldName | null {
  if (field === null) return null;
  const last = field.split(".").pop() ?? field;
  const known = fieldsFor(provider) as string[];
  return known.includes(last) ? (last as FieldName) : null;
}

/** Upper bound for a key file read from disk; real keys are ~2.3 KB. */
export const MAX_KEY_FILE_BYTES = fieldSpec("service_account_json").max_len;

export function describeFileTooLarge(bytes: number): string {
  return `That file is ${Math.ceil(bytes / 1024)} KB; a service account key is about 2 KB. Choose the JSON key file downloaded from Google Cloud.`;
}
