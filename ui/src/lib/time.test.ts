import { describe, expect, it } from "vitest";
import { durationText, exactTime, relativeTime, timeOf } from "./time";

const now = Date.parse("2025-06-01T12:00:00Z");
const at = (ms: number) => new Date(now - ms).toISOString();

describe("relativeTime", () => {
  it("reads naturally at each scale", () => {
    expect(relativeTime(at(5_000), now)).toBe("just now");
    expect(relativeTime(at(60_000), now)).toBe("1 min ago");
    expect(relativeTime(at(5 * 60_000), now)).toBe("5 min ago");
    expect(relativeTime(at(3 * 3_600_000), now)).toBe("3 h ago");
    expect(relativeTime(at(86_400_000), now)).toBe("1 day ago");
    expect(relativeTime(at(3 * 86_400_000), now)).toBe("3 days ago");
    expect(relativeTime(at(65 * 86_400_000), now)).toBe("2 months ago");
    expect(relativeTime(at(800 * 86_400_000), now)).toBe("2 years ago");
  });
  it("handles the future, null and garbage", () => {
    expect(relativeTime(at(-40 * 60_000), now)).toBe("in 40 min");
    expect(relativeTime(null, now)).toBe("");
    expect(relativeTime("not a date", now)).toBe("");
  });
});

describe("exactTime", () => {
  it("formats a local time and passes through unparseable input", () => {
    expect(exactTime("2025-06-01T12:00:00Z")).toMatch(/2025/);
    expect(exactTime("nope")).toBe("nope");
    expect(exactTime(null)).toBe("");
  });
});

describe("durationText", () => {
  it("words an interval at the scale it is set in", () => {
    expect(durationText(12 * 3_600_000)).toBe("12 h");
    expect(durationText(4_000)).toBe("4 s");
    expect(durationText(30 * 60_000)).toBe("30 min");
    expect(durationText(720 * 3_600_000)).toBe("30 days");
  });
});

describe("timeOf", () => {
  it("parses RFC 3339 and gives null for null or garbage", () => {
    expect(timeOf("2025-06-01T12:00:00Z")).toBe(now);
    expect(timeOf(null)).toBeNull();
    expect(timeOf("nope")).toBeNull();
  });
});
