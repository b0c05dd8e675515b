// Start-up benchmark marks, compiled in only for the benchmark build (VITE_BENCH=1).
// Vite replaces import.meta.env.VITE_BENCH at build time, so in every other build these
// functions are empty and the bundle never names ui_ready, a command that only the app's
// benchmark build has.
import { invoke } from "@tauri-apps/api/core";
import type { UiMarks } from "./bindings/UiMarks";

/** Moments of start-up, in the order they happen. */
export type StartupMoment =
  | "script"
  | "mounted"
  | "listening"
  | "list-requested"
  | "list-received"
  | "table-interactive";

const markName = (moment: StartupMoment): string => `entryguard:${moment}`;
const at = (moment: StartupMoment): number =>
  performance.getEntriesByName(markName(moment))[0]?.startTime ?? 0;

/** Marks a moment of start-up; only the first time counts (later reloads list again). */
export function markStartup(moment: StartupMoment): void {
  if (import.meta.env.VITE_BENCH !== "1") return;
  const name = markName(moment);
  if (performance.getEntriesByName(name).length === 0) performance.mark(name);
}

let interactiveSent: Promise<unknown> | null = null;

/**
 * Call once the first screen is drawn (the app's boot rows, or the first list): the moment the
 * benchmark counts as interactive. The app notes when this report arrives and waits for the
 * complete one.
 */
export function reportInteractive(rows: number): void {
  if (import.meta.env.VITE_BENCH !== "1" || interactiveSent !== null) return;
  markStartup("table-interactive");
  interactiveSent = send(false, rows);
}

/**
 * Makes WebKit lay the page out now (style and layout, all but the paint), so a time taken
 * after it counts the work of drawing the rows and not only of building them.
 */
export function laidOut(): void {
  if (import.meta.env.VITE_BENCH === "1") void document.body.offsetHeight;
}

/** Reads the list again in another order, then narrowed by a search; resolves once each is drawn. */
export type TimedReads = { sort: () => Promise<void>; filter: () => Promise<void> };

/**
 * Call once the first page read is on screen: times `reads` on the now idle window, then hands
 * the timings to the benchmark.
 */
export function reportStartup(rows: number, reads: TimedReads): void {
  if (import.meta.env.VITE_BENCH !== "1") return;
  reportInteractive(rows);
  laidOut();
  const drawn = performance.now();
  const timed = async (read: () => Promise<void>) => {
    const start = performance.now();
    await read();
    return performance.now() - start;
  };
  // In order: the app keeps the first report's arrival as the interactive time.
  void interactiveSent?.then(async () => {
    const sort = await timed(reads.sort);
    const filter = await timed(reads.filter);
    await send(true, rows, drawn, { sort, filter });
  });
}

function send(
  complete: boolean,
  rows: number,
  drawn = performance.now(),
  reads = { sort: 0, filter: 0 },
): Promise<unknown> {
  const navigation = performance.getEntriesByType("navigation")[0] as
    | PerformanceNavigationTiming
    | undefined;
  const marks: UiMarks = {
    complete,
    rows,
    list_ms: at("list-received") - at("list-requested"),
    render_ms: complete ? drawn - at("list-received") : 0,
    sort_ms: reads.sort,
    filter_ms: reads.filter,
    time_origin: performance.timeOrigin,
    dom_interactive: navigation?.domInteractive ?? 0,
    interactive: at("table-interactive"),
    script: at("script"),
    mounted: at("mounted"),
    listening: at("listening"),
  };
  return invoke("ui_ready", { marks }).catch(() => {
    // A benchmark that gets no marks fails on its own; the page has nothing to show.
  });
}
