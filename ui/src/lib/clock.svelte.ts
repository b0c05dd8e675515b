// A shared "now" that ticks every 30 s so relative times ("5 min ago") stay
// current without each row running its own timer.
export const TICK_MS = 30_000;

export const clock = $state({ now: Date.now() });

let timer: ReturnType<typeof setInterval> | undefined;

export function startClock(): () => void {
  if (timer === undefined) {
    timer = setInterval(() => {
      clock.now = Date.now();
    }, TICK_MS);
  }
  return () => {
    clearInterval(timer);
    timer = undefined;
  };
}

let wakeTimer: ReturnType<typeof setTimeout> | undefined;
let wakeTime = Infinity;

/**
 * Moves the clock at `t` (ms since the epoch) as well, for a moment that must show on time
 * (a decision turning stale; test builds re-check every few seconds). One timer serves every
 * caller: it waits for the earliest time asked for; callers ask again after each tick.
 */
export function wakeAt(t: number): void {
  const now = Date.now();
  if (t <= now || t >= wakeTime) return;
  clearTimeout(wakeTimer);
  wakeTime = t;
  // +5 ms so the timer never fires a hair before `t`; capped at setTimeout's limit.
  wakeTimer = setTimeout(
    () => {
      wakeTime = Infinity;
      wakeTimer = undefined;
      clock.now = Date.now();
    },
    Math.min(t - now + 5, 2 ** 31 - 1),
  );
}
