import { describe, expect, it } from "vitest";
import {
  badgeTitle,
  expiryText,
  freshnessText,
  isStale,
  lastDecision,
  staleAhead,
  nextCheck,
  statusLine,
} from "./freshness";
import { row } from "./testRows";

const now = Date.parse("2025-06-01T12:00:00Z");
const at = (msAgo: number) => new Date(now - msAgo).toISOString();
const H = 3_600_000;
const D = 24 * H;

describe("isStale", () => {
  it("turns true once the clock reaches stale_at, without a new row", () => {
    const r = row({ id: "a", status: "VALID", verified_at: at(12 * H - 60_000), stale_at: at(-60_000) });
    expect(isStale(r, now)).toBe(false);
    expect(isStale(r, now + 60_000)).toBe(true);
    expect(isStale(r, now + 5 * H)).toBe(true);
  });
  it("is false when re-checks are off or the row was never decided (stale_at null)", () => {
    expect(isStale(row({ id: "a", status: "VALID", stale_at: null }), now)).toBe(false);
  });
  it("stays true while a later check could not decide (the kept decision is old)", () => {
    expect(isStale(row({ id: "a", status: "INVALID", stale_at: at(H) }), now)).toBe(true);
    expect(isStale(row({ id: "a", status: "UNVERIFIED", stale_at: at(H) }), now)).toBe(true);
  });
  it("ignores an unparseable stale_at", () => {
    expect(isStale(row({ id: "a", status: "VALID", stale_at: "soon" }), now)).toBe(false);
  });
});

describe("staleAhead", () => {
  it("gives the moment a fresh row turns stale, and null once it has or never will", () => {
    expect(staleAhead(row({ id: "a", stale_at: at(-H) }), now)).toBe(now + H);
    expect(staleAhead(row({ id: "a", stale_at: at(H) }), now)).toBeNull();
    expect(staleAhead(row({ id: "a", stale_at: null }), now)).toBeNull();
  });
});

describe("badge title", () => {
  const stale = row({ id: "a", status: "VALID", verified_at: at(13 * H), stale_at: at(H) });
  it("explains a stale decision with its age and the interval", () => {
    expect(badgeTitle(stale, now)).toBe(
      "Last verified 13 h ago — older than the 12 h re-check interval; a check is due",
    );
    expect(badgeTitle({ ...stale, checking: true }, now)).toMatch(/a check is running$/);
    // Test builds re-check every few seconds: the interval reads at that scale.
    expect(badgeTitle({ ...stale, verified_at: at(10_000), stale_at: at(6_000) }, now)).toMatch(
      /older than the 4 s re-check interval/,
    );
  });
  it("says only when it was verified while fresh, and nothing when never decided", () => {
    expect(badgeTitle({ ...stale, stale_at: at(-H) }, now)).toBe("Last verified 13 h ago");
    expect(badgeTitle(row({ id: "b" }), now)).toBe("");
  });
});

describe("freshnessText and statusLine", () => {
  it("puts when the decision was made before the reason", () => {
    const r = row({ id: "a", status: "INVALID", verified_at: at(3 * H), status_reason: "InvalidClientTokenId" });
    expect(freshnessText(r, now)).toBe("checked 3 h ago");
    expect(statusLine(r, now)).toBe("checked 3 h ago · InvalidClientTokenId");
  });
  it("calls a kept decision 'last decision' when a later check could not decide", () => {
    const r = row({ id: "a", status: "UNVERIFIED", verified_at: at(3 * H), status_reason: "Unreachable" });
    expect(statusLine(r, now)).toBe("last decision 3 h ago · Unreachable");
  });
  it("does not repeat a plain Valid as 'Verified'", () => {
    expect(statusLine(row({ id: "a", status: "VALID", verified_at: at(3 * H) }), now)).toBe("checked 3 h ago");
  });
  it("shows only the reason for a row never decided", () => {
    expect(statusLine(row({ id: "a" }), now)).toBe("Not checked yet");
  });
});

describe("expiryText", () => {
  it("reads ahead for a future expiry and back for a past one", () => {
    expect(expiryText(at(-5 * D - H), now)).toBe("expires in 5 days");
    expect(expiryText(at(2 * D + H), now)).toBe("expired 2 days ago");
  });
  it("says nothing when the expiry is unknown", () => {
    expect(expiryText(null, now)).toBeNull();
    expect(expiryText("garbage", now)).toBeNull();
  });
});

describe("nextCheck", () => {
  it("gives the scheduled re-check or retry, relative and exact", () => {
    const when = at(-5 * H);
    expect(nextCheck(row({ id: "a", next_check_at: when }), 12, now)).toEqual({ text: "in 5 h", at: when });
  });
  it("never reads 'just now' for a check a few seconds ahead", () => {
    expect(nextCheck(row({ id: "a", next_check_at: at(-4_000) }), 12, now).text).toBe("in under a minute");
  });
  it("says 'due now' once the time has passed", () => {
    expect(nextCheck(row({ id: "a", next_check_at: at(H) }), 12, now).text).toBe("due now");
  });
  it("says re-checks are off when the setting is 0 and no retry is pending", () => {
    expect(nextCheck(row({ id: "a" }), 0, now)).toEqual({ text: "Automatic re-checks are off", at: null });
    // A retry still shows when re-checks are off.
    expect(nextCheck(row({ id: "a", next_check_at: at(-H) }), 0, now).text).toBe("in 1 h");
  });
  it("says a check is running while one is", () => {
    expect(nextCheck(row({ id: "a", checking: true, next_check_at: at(-H) }), 12, now).text).toBe("Checking now");
  });
});

describe("lastDecision", () => {
  it("is the row's status when it is Valid or Invalid", () => {
    expect(lastDecision(row({ id: "a", status: "INVALID", verified_at: at(H) }), [])).toBe("INVALID");
  });
  it("looks past undecided checks in the history when the row is now Unverified", () => {
    const history = [{ status: "UNVERIFIED" as const }, { status: "VALID" as const }];
    expect(lastDecision(row({ id: "a", status: "UNVERIFIED", verified_at: at(H) }), history)).toBe("VALID");
  });
  it("is null when nothing was ever decided", () => {
    expect(lastDecision(row({ id: "a", status: "VALID", verified_at: null }), [])).toBeNull();
  });
});
