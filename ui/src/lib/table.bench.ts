// Sorting and filtering 10,000 rows (budget: ≤ 50 ms each; docs/performance.md). A
// benchmark, not a test: run `npm run bench` and read the figures.
import { bench, describe } from "vitest";
import type { CredentialView } from "./bindings/CredentialView";
import { emptyFilters, filterRows, sortRows } from "./table";

const many: CredentialView[] = Array.from({ length: 10_000 }, (_, i) => ({
  id: `id-${i}`,
  name: `Credential ${i}`,
  provider: (["AWS", "GCP", "AZURE", "APISIX"] as const)[i % 4] ?? "AWS",
  type: "ACCESS_KEY",
  environment: i % 2 ? "production" : "staging",
  status: (["VALID", "INVALID", "UNVERIFIED"] as const)[i % 3] ?? "VALID",
  status_reason: null,
  checking: false,
  created_at: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
  updated_at: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
  verified_at: null,
  next_check_at: null,
  identity: i % 3 === 0 ? `arn:aws:iam::123456789012:user/u${i}` : null,
  hint: "AKIA…WXYZ",
  resource_count: 0,
  rotated_at: null,
  key_age_days: i % 400,
  key_stale: i % 400 >= 90,
  stale_at: null,
  stale: false,
  expires_at: null,
  expires_soon: false,
}));

describe("10,000 rows", () => {
  bench("sort by created", () => {
    sortRows(many, { key: "created_at", dir: "desc" });
  });
  bench("filter by text and provider", () => {
    filterRows(many, { ...emptyFilters(), text: "credential 99", provider: "AWS" });
  });
});
