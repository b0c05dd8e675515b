import { describe, expect, it } from "vitest";
import { statusReason } from "./status";
import { row } from "./testRows";

describe("statusReason", () => {
  it("is the backend's reason when it gave one", () => {
    const reason = "SignatureDoesNotMatch — copy the secret again";
    expect(statusReason(row({ id: "a", status: "INVALID", status_reason: reason }))).toBe(reason);
  });
  it("says a check is running while one is", () => {
    expect(statusReason(row({ id: "a", checking: true }))).toBe("Verifying…");
  });
  it("otherwise says what the status means", () => {
    expect(statusReason(row({ id: "a", status: "UNVERIFIED" }))).toBe("Not checked yet");
    expect(statusReason(row({ id: "a", status: "VALID" }))).toBe("Verified");
    expect(statusReason(row({ id: "a", status: "INVALID" }))).toBe("Verification failed");
  });
});
