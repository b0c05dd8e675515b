// The backend's field rules and these must agree: both suites run the same cases
// (src-tauri/core/tests/data/validation-cases.json), so a rule changed on one side
// alone fails a test.
import { describe, expect, it } from "vitest";
import file from "../../../src-tauri/core/tests/data/validation-cases.json";
import { emptyForm, fieldSpec, validateField, validateForm, type FormState, type InputField } from "./validation";

const VALID: FormState = {
  ...emptyForm("AWS"),
  name: "Case",
  access_key_id: "AKIAIOSFODNN7EXAMPLE",
  secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  endpoint: "https://apisix.example.com:9180",
  admin_key: "edd1c9f034335f136f87ad84b625c8f1",
  tenant_id: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  client_id: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  client_secret: "Q~8abcdEFGH1234",
  service_account_json: JSON.stringify({
    type: "service_account",
    project_id: "p",
    client_email: "sa@p.iam.gserviceaccount.com",
    private_key_id: "abc",
    private_key: "-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n",
    token_uri: "https://oauth2.googleapis.com/token",
  }),
};

type Case = { field: InputField; value: string; valid: boolean; with?: Partial<FormState> };
const cases = file.cases as Case[];

describe("shared validation cases", () => {
  it("covers every field the form shows", () => {
    const covered = new Set(cases.map((c) => c.field));
    for (const key of ["name", "environment", "access_key_id", "admin_key", "tenant_id"] as const)
      expect(covered).toContain(key);
  });

  it.each(cases.map((c) => [`${c.field} = ${JSON.stringify(c.value)}`, c] as const))(
    "agree with the backend: %s",
    (_, c) => {
      const form: FormState = {
        ...VALID,
        ...c.with,
        provider: fieldSpec(c.field).provider ?? "AWS",
        [c.field]: c.value,
      };
      const verdict = validateField(c.field, form, new Set());
      if (c.valid) {
        expect(verdict).toBeNull();
        expect(validateForm(form, new Set())).toEqual({});
      } else {
        expect(verdict).not.toBeNull();
      }
    },
  );
});
