import { describe, expect, it } from "vitest";
import {
  emptyForm,
  firstInvalid,
  formFieldOf,
  formLabel,
  isLoopbackHost,
  keptFieldsFrom,
  rotateFieldsFor,
  toNewCredential,
  toProviderSpec,
  validateAccessKeyId,
  validateEndpoint,
  validateForm,
  validateGuid,
  validateName,
  validateRegion,
  validateSecretAccessKey,
  validateServiceAccountJson,
  validateSessionToken,
  validateThreshold,
  validateWhole,
  EXPIRY_WARNING_RANGE,
  RECHECK_RANGE,
  UNVERIFIED_ALERT_RANGE,
  type FormState,
} from "./validation";

const none = new Set<string>();
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"; // 40 chars, AWS docs example
const GUID = "72f988bf-86f1-41af-91ab-2d7cd011db47";

function gcpKey(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: "service_account",
    project_id: "p",
    client_email: "sa@p.iam.gserviceaccount.com",
    private_key_id: "abc",
    private_key: "-----BEGIN PRIVATE KEY-----\nSECRETMATERIAL\n-----END PRIVATE KEY-----\n",
    token_uri: "https://oauth2.googleapis.com/token",
    ...overrides,
  });
}

function awsForm(over: Partial<FormState> = {}): FormState {
  return {
    ...emptyForm("AWS"),
    name: "AWS Production",
    access_key_id: "AKIAIOSFODNN7EXAMPLE",
    secret_access_key: SECRET,
    ...over,
  };
}

describe("name", () => {
  it("is required after trimming", () => {
    expect(validateName("   ", none)).toMatch(/Enter a name/);
  });
  it("accepts 100 characters and rejects 101 with the count", () => {
    expect(validateName("a".repeat(100), none)).toBeNull();
    expect(validateName("a".repeat(101), none)).toMatch(/101 characters.*100 or fewer/);
  });
  it("must be unique ignoring case and surrounding spaces", () => {
    const taken = new Set(["aws production"]);
    expect(validateName("  AWS PRODUCTION ", taken)).toMatch(/already exists/);
    expect(validateName("AWS Staging", taken)).toBeNull();
  });
});

describe("AWS access key ID", () => {
  it("accepts AKIA and ASIA keys of 20 upper-case characters", () => {
    expect(validateAccessKeyId("AKIAIOSFODNN7EXAMPLE")).toBeNull();
    expect(validateAccessKeyId("ASIAIOSFODNN7EXAMPLE")).toBeNull();
    expect(validateAccessKeyId(" AKIAIOSFODNN7EXAMPLE\n")).toBeNull();
  });
  it("says how many characters were entered when the length is wrong", () => {
    expect(validateAccessKeyId("AKIAIOSFODNN7EXAMPL")).toBe(
      "Access Key ID must start with AKIA or ASIA followed by 16 upper-case letters or digits (20 characters); you entered 19.",
    );
  });
  it("explains a wrong prefix, lower case and symbols", () => {
    expect(validateAccessKeyId("ABCDIOSFODNN7EXAMPLE")).toMatch(/starts with something else/);
    expect(validateAccessKeyId("AKIAiosfodnn7example")).toMatch(/lower-case/);
    expect(validateAccessKeyId("AKIAIOSFODNN7EXAMP-E")).toMatch(/other than letters and digits/);
  });
  it("is required", () => {
    expect(validateAccessKeyId("")).toMatch(/Enter the Access Key ID/);
  });
});

describe("AWS secret, session token and region", () => {
  it("requires exactly 40 characters and never echoes the secret", () => {
    expect(validateSecretAccessKey(SECRET)).toBeNull();
    const msg = validateSecretAccessKey(SECRET.slice(0, 39)) ?? "";
    expect(msg).toMatch(/exactly 40 characters; you entered 39/);
    expect(msg).not.toContain(SECRET.slice(0, 10));
  });
  it("requires a session token only for ASIA keys", () => {
    expect(validateSessionToken("", "AKIAIOSFODNN7EXAMPLE")).toBeNull();
    expect(validateSessionToken("", "ASIAIOSFODNN7EXAMPLE")).toMatch(/need a Session Token/);
    expect(validateSessionToken("tok", "ASIAIOSFODNN7EXAMPLE")).toBeNull();
  });
  it("accepts empty or region-shaped values", () => {
    for (const ok of ["", "us-east-1", "eu-central-1", "us-gov-west-1", "cn-north-1", "ap-southeast-2"])
      expect(validateRegion(ok), ok).toBeNull();
    for (const bad of ["US-EAST-1", "us_east_1", "useast1", "us-east", "us-east-1 x"])
      expect(validateRegion(bad), bad).toMatch(/like us-east-1/);
  });
});

describe("endpoint URL", () => {
  it("accepts https anywhere", () => {
    expect(validateEndpoint("https://apisix.example.com:9180")).toBeNull();
  });
  it("accepts http only on loopback hosts", () => {
    expect(validateEndpoint("http://localhost:9180")).toBeNull();
    expect(validateEndpoint("http://127.0.0.1:9180")).toBeNull();
    expect(validateEndpoint("http://127.10.0.3")).toBeNull();
    expect(validateEndpoint("http://[::1]:9180")).toBeNull();
    expect(validateEndpoint("http://apisix.internal:9180")).toMatch(/Use https:\/\//);
    expect(validateEndpoint("http://10.0.0.5")).toMatch(/only for localhost/);
  });
  it("rejects non-URLs, other schemes and embedded credentials", () => {
    expect(validateEndpoint("")).toMatch(/Enter the APISIX Admin API URL/);
    expect(validateEndpoint("apisix.example.com")).toMatch(/including https:\/\//);
    expect(validateEndpoint("ftp://apisix.example.com")).toMatch(/must start with https/);
    expect(validateEndpoint("https://u:p@apisix.example.com")).toMatch(/Remove the user name/);
  });
  it("knows loopback hosts", () => {
    expect(isLoopbackHost("LOCALHOST")).toBe(true);
    expect(isLoopbackHost("127.0.0.1")).toBe(true);
    expect(isLoopbackHost("128.0.0.1")).toBe(false);
    expect(isLoopbackHost("localhost.evil.com")).toBe(false);
  });
});

describe("Azure", () => {
  it("requires GUIDs for tenant and client IDs", () => {
    expect(validateGuid(GUID, "tenant_id")).toBeNull();
    expect(validateGuid(GUID.toUpperCase(), "client_id")).toBeNull();
    expect(validateGuid("contoso.onmicrosoft.com", "tenant_id")).toMatch(/Tenant ID must be a GUID/);
    expect(validateGuid(GUID.slice(1), "client_id")).toMatch(/Client ID must be a GUID/);
    expect(validateGuid("", "tenant_id")).toMatch(/Enter the Tenant ID/);
  });
  it("requires a client secret", () => {
    const errs = validateForm(
      { ...emptyForm("AZURE"), name: "az", tenant_id: GUID, client_id: GUID },
      none,
    );
    expect(Object.keys(errs)).toEqual(["client_secret"]);
  });
});

describe("GCP service account JSON", () => {
  it("accepts a complete service account key", () => {
    expect(validateServiceAccountJson(gcpKey())).toBeNull();
  });
  it("rejects invalid JSON without quoting the content", () => {
    const broken = gcpKey().slice(0, -5);
    const msg = validateServiceAccountJson(broken) ?? "";
    expect(msg).toMatch(/not valid JSON/);
    expect(msg).not.toContain("SECRETMATERIAL");
  });
  it("requires an object of type service_account", () => {
    expect(validateServiceAccountJson("[1,2]")).toMatch(/must be a JSON object/);
    expect(validateServiceAccountJson(gcpKey({ type: "authorized_user" }))).toMatch(
      /"type" must be "service_account"/,
    );
  });
  it("names every missing field", () => {
    expect(
      validateServiceAccountJson(gcpKey({ private_key: undefined, token_uri: "", project_id: 3 })),
    ).toBe(
      "The key is missing project_id, private_key, token_uri; download a new JSON key for the service account.",
    );
  });
});

describe("whole form", () => {
  it("validates only the selected provider's fields", () => {
    expect(validateForm(awsForm(), none)).toEqual({});
    const apisix = { ...emptyForm("APISIX"), name: "gw" };
    expect(Object.keys(validateForm(apisix, none))).toEqual(["endpoint", "admin_key"]);
  });
  it("finds the first invalid field in form order", () => {
    const form = awsForm({ name: "", secret_access_key: "short" });
    expect(firstInvalid(form, validateForm(form, none))).toBe("name");
    const form2 = awsForm({ secret_access_key: "short" });
    expect(firstInvalid(form2, validateForm(form2, none))).toBe("secret_access_key");
  });
  it("builds the payload for the selected provider only, trimmed", () => {
    const input = toNewCredential(
      awsForm({ name: "  AWS Production ", environment: " ", region: "", endpoint: "https://x" }),
    );
    expect(input).toEqual({
      name: "AWS Production",
      environment: null,
      type: "ACCESS_KEY",
      provider: "AWS",
      fields: {
        access_key_id: "AKIAIOSFODNN7EXAMPLE",
        secret_access_key: SECRET,
        session_token: null,
        region: null,
      },
    });
    const gcp = toNewCredential({ ...emptyForm("GCP"), name: "g", service_account_json: gcpKey() });
    expect(gcp).toMatchObject({ provider: "GCP", type: "SERVICE_ACCOUNT_KEY" });
  });
  it("maps backend field names onto form fields", () => {
    expect(formFieldOf("fields.access_key_id", "AWS")).toBe("access_key_id");
    expect(formFieldOf("name", "GCP")).toBe("name");
    expect(formFieldOf("endpoint", "AWS")).toBeNull();
    expect(formFieldOf(null, "AWS")).toBeNull();
  });
});

describe("rotate form", () => {
  it("shows and validates only the provider's fields", () => {
    expect(rotateFieldsFor("AWS")).toEqual(["access_key_id", "secret_access_key", "session_token", "region"]);
    const form = { ...emptyForm("AWS"), name: "" };
    const errors = validateForm(form, new Set(), rotateFieldsFor("AWS"));
    expect(errors.name).toBeUndefined();
    expect(firstInvalid(form, errors, rotateFieldsFor("AWS"))).toBe("access_key_id");
  });
  it("builds the rotate payload from the same form", () => {
    const form = {
      ...emptyForm("APISIX"),
      name: "ignored",
      endpoint: " https://gw.example.com:9180 ",
      admin_key: "k\n",
    };
    expect(toProviderSpec(form)).toEqual({
      provider: "APISIX",
      fields: { endpoint: "https://gw.example.com:9180", admin_key: "k" },
    });
  });
  it("prefills the kept fields from the details by key", () => {
    const fields = [
      { key: "access_key_id", label: "Access Key ID", value: "AKIAIOSFODNN7EXAMPLE" },
      { key: "region", label: "Region", value: "eu-west-1" },
    ];
    expect(keptFieldsFrom("AWS", fields)).toEqual({ region: "eu-west-1" });
    expect(
      keptFieldsFrom("AZURE", [
        { key: "tenant_id", label: "Tenant ID", value: "t" },
        { key: "client_id", label: "Client ID", value: "c" },
      ]),
    ).toEqual({ tenant_id: "t", client_id: "c" });
    expect(keptFieldsFrom("APISIX", [{ key: "endpoint", label: "Endpoint URL", value: "https://x" }])).toEqual({
      endpoint: "https://x",
    });
    expect(keptFieldsFrom("GCP", fields)).toEqual({});
  });
  it("labels what is typed anew “New …” and the kept fields as in the Add form", () => {
    expect(formLabel("secret_access_key")).toBe("Secret Access Key");
    expect(formLabel("secret_access_key", "rotate")).toBe("New Secret Access Key");
    expect(formLabel("access_key_id", "rotate")).toBe("New Access Key ID");
    expect(formLabel("service_account_json", "rotate")).toBe("New Service Account Key (JSON)");
    expect(formLabel("region", "rotate")).toBe("Region");
    expect(formLabel("endpoint", "rotate")).toBe("Endpoint URL");
    expect(formLabel("tenant_id", "rotate")).toBe("Tenant ID");
  });
});

describe("validateThreshold", () => {
  it("accepts whole days from 1 to 3650", () => {
    expect(validateThreshold("90")).toBeNull();
    expect(validateThreshold("1")).toBeNull();
    expect(validateThreshold("3650")).toBeNull();
    expect(validateThreshold("0")).toMatch(/between 1 and 3650/);
    expect(validateThreshold("3651")).toMatch(/between 1 and 3650/);
    expect(validateThreshold("")).toMatch(/Enter a number/);
    expect(validateThreshold("9.5")).toMatch(/whole days/);
  });
});

describe("settings ranges (validateWhole)", () => {
  it("lets re-checks be turned off with 0 and caps them at 720 hours", () => {
    expect(validateWhole("0", RECHECK_RANGE)).toBeNull();
    expect(validateWhole("12", RECHECK_RANGE)).toBeNull();
    expect(validateWhole("720", RECHECK_RANGE)).toBeNull();
    expect(validateWhole("721", RECHECK_RANGE)).toBe(
      "Enter a number of hours between 0 and 720 (30 days); 721 is out of range.",
    );
    expect(validateWhole("-1", RECHECK_RANGE)).toMatch(/whole hours as digits only/);
  });
  it("bounds the Unverified alert to 1 minute – 7 days", () => {
    expect(validateWhole("1", UNVERIFIED_ALERT_RANGE)).toBeNull();
    expect(validateWhole("10080", UNVERIFIED_ALERT_RANGE)).toBeNull();
    expect(validateWhole("0", UNVERIFIED_ALERT_RANGE)).toMatch(/between 1 and 10080/);
    expect(validateWhole("10081", UNVERIFIED_ALERT_RANGE)).toMatch(/between 1 and 10080/);
  });
  it("bounds the expiry warning to 1–365 days and asks for a value when empty", () => {
    expect(validateWhole("14", EXPIRY_WARNING_RANGE)).toBeNull();
    expect(validateWhole("366", EXPIRY_WARNING_RANGE)).toMatch(/between 1 and 365/);
    expect(validateWhole(" ", EXPIRY_WARNING_RANGE)).toBe("Enter a number of days between 1 and 365, e.g. 14.");
  });
});
