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
