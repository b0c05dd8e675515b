// Static facts about providers, shared by the form, the table and the filters.
import type { CredentialType } from "./bindings/CredentialType";
import type { Provider } from "./bindings/Provider";
import type { Status } from "./bindings/Status";

export const PROVIDERS: readonly Provider[] = ["AWS", "GCP", "AZURE", "APISIX"];

/** Each provider supports exactly one credential type today. */
export const TYPE_FOR: Readonly<Record<Provider, CredentialType>> = {
  AWS: "ACCESS_KEY",
  GCP: "SERVICE_ACCOUNT_KEY",
  AZURE: "CLIENT_SECRET",
  APISIX: "ADMIN_KEY",
};

export const STATUSES: readonly Status[] = ["VALID", "INVALID", "UNVERIFIED"];

export const STATUS_LABEL: Readonly<Record<Status, string>> = {
  VALID: "Valid",
  INVALID: "Invalid",
  UNVERIFIED: "Unverified",
};
