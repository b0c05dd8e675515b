import { describe, expect, it } from "vitest";
import { describeKeyAge, formatKeyAge, keyAgeTitle } from "./keyAge";

describe("formatKeyAge", () => {
  it("shows days below a year, then whole years", () => {
    expect(formatKeyAge(0)).toBe("0 d");
    expect(formatKeyAge(12)).toBe("12 d");
    expect(formatKeyAge(364)).toBe("364 d");
    expect(formatKeyAge(365)).toBe("1 y");
    expect(formatKeyAge(800)).toBe("2 y");
  });
  it("never shows negative or fractional days", () => {
    expect(formatKeyAge(-3)).toBe("0 d");
    expect(formatKeyAge(4.9)).toBe("4 d");
  });
});

describe("describeKeyAge", () => {
  it("spells out days and years", () => {
    expect(describeKeyAge(1)).toBe("1 day");
    expect(describeKeyAge(120)).toBe("120 days");
    expect(describeKeyAge(365)).toBe("1 year (365 days)");
    expect(describeKeyAge(800)).toBe("2 years (800 days)");
  });
});

describe("keyAgeTitle", () => {
  it("tells the admin to rotate a stale key and names the threshold", () => {
    expect(keyAgeTitle(120, true, false, 90)).toBe(
      "Key is 120 days old (threshold 90 days). Rotate it.",
    );
  });
  it("says where the age counts from when the key is fresh", () => {
    expect(keyAgeTitle(12, false, true, 90)).toBe(
      "Key is 12 days old since its last rotation (threshold 90 days).",
    );
    expect(keyAgeTitle(1, false, false, null)).toBe("Key is 1 day old since it was added.");
  });
});
