// Test helper: a CredentialView with defaults, for unit tests.
import type { CredentialView } from "./bindings/CredentialView";

export function row(over: Partial<CredentialView> & { id: string }): CredentialView {
  return {
    name: over.id,
    provider: "AWS",
    type: "ACCESS_KEY",
    environment: null,
    status: "UNVERIFIED",
    status_reason: null,
    checking: false,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
    verified_at: null,
    next_check_at: null,
    identity: null,
    hint: "AKIA…0000",
    resource_count: 0,
    rotated_at: null,
    key_age_days: 0,
    key_stale: false,
    stale_at: null,
    stale: false,
    expires_at: null,
    expires_soon: false,
    ...over,
  };
}
