// Key age: how long the stored secret has been in use (since its last rotation,
// else since creation). The backend computes the whole days and whether the key
// is past the threshold; this module only words it.

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Compact, for the table: "0 d", "12 d", "364 d", then whole years "1 y", "3 y". */
export function formatKeyAge(days: number): string {
  const d = Math.max(0, Math.floor(days));
  if (d < 365) return `${d} d`;
  return `${Math.floor(d / 365)} y`;
}

/** Spelled out, for titles and the details panel: "1 day", "120 days", "2 years (800 days)". */
export function describeKeyAge(days: number): string {
  const d = Math.max(0, Math.floor(days));
  if (d < 365) return plural(d, "day", "days");
  return `${plural(Math.floor(d / 365), "year", "years")} (${d} days)`;
}

/**
 * The hover text of the key-age cell, e.g. "Key is 120 days old (threshold 90 days). Rotate it."
 * `threshold` is null while settings are unknown.
 */
export function keyAgeTitle(
  days: number,
  stale: boolean,
  rotated: boolean,
  threshold: number | null,
): string {
  const age = `Key is ${describeKeyAge(days)} old`;
  const since = rotated ? "since its last rotation" : "since it was added";
  const limit = threshold === null ? "" : ` (threshold ${plural(threshold, "day", "days")})`;
  if (stale) return `${age}${limit}. Rotate it.`;
  return `${age} ${since}${limit}.`;
}
