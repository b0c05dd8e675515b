// Words for a credential's status, shared by the table row and the details panel.
import type { CredentialView } from "./bindings/CredentialView";

/** Why the row has its status: the backend's reason, else what the status itself means. */
export function statusReason(row: CredentialView): string {
  if (row.status_reason !== null) return row.status_reason;
  if (row.checking) return "Verifying…";
  switch (row.status) {
    case "UNVERIFIED":
      return "Not checked yet";
    case "VALID":
      return "Verified";
    case "INVALID":
      return "Verification failed";
  }
}
