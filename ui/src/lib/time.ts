// Human times for the table: short relative phrases, with the exact local
// time available for a title attribute.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function unit(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Milliseconds since the epoch, or null for null or an unparseable time. */
export function timeOf(iso: string | null): number | null {
  if (iso === null) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** An interval, for settings and titles: "12 h", "3 days", "30 min", "4 s". */
export function durationText(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return `${Math.max(1, Math.round(abs / 1000))} s`;
  if (abs < HOUR) return `${Math.round(abs / MINUTE)} min`;
  if (abs < 2 * DAY) return `${Math.round(abs / HOUR)} h`;
  return unit(Math.round(abs / DAY), "day", "days");
}

/** "just now", "5 min ago", "3 h ago", "3 days ago", "2 months ago"; future times read "in …". */
export function relativeTime(iso: string | null, now: number): string {
  if (iso === null) return "";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "";
  const diff = now - t;
  const abs = Math.abs(diff);
  if (abs < 45_000) return "just now";
  let phrase: string;
  if (abs < HOUR) phrase = `${Math.max(1, Math.round(abs / MINUTE))} min`;
  else if (abs < DAY) phrase = `${Math.round(abs / HOUR)} h`;
  else if (abs < 30 * DAY) phrase = unit(Math.floor(abs / DAY), "day", "days");
  else if (abs < 365 * DAY) phrase = unit(Math.floor(abs / (30 * DAY)), "month", "months");
  else phrase = unit(Math.floor(abs / (365 * DAY)), "year", "years");
  return diff >= 0 ? `${phrase} ago` : `in ${phrase}`;
}

const exactFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: "medium",
  timeStyle: "medium",
});

/** The exact local time, e.g. "Mar 4, 2025, 14:05:09". */
export function exactTime(iso: string | null): string {
  if (iso === null) return "";
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : exactFormat.format(t);
}
