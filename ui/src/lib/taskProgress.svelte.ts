// A long task's progress (a backup, a restore) as a dialog shows it: from the backend's
// "progress" events for that task, shown only once the task has run for a moment or is large,
// so a small vault's backup does not flash a bar.
import type { CredentialEvent } from "./bindings/CredentialEvent";

export type ProgressEvent = Extract<CredentialEvent, { kind: "progress" }>;
/** Subscribes to progress events; returns the unsubscribe. */
export type ProgressSource = (cb: (p: ProgressEvent) => void) => () => void;

/** A task that reports progress shows its bar after this long… */
export const SHOW_AFTER_MS = 300;
/** …or at once when it has more than this many credentials to go through. */
export const SHOW_AT_ONCE_ABOVE = 500;

/** Whole percent done, 0–100. */
export function percent(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.max(0, Math.floor((done / total) * 100)));
}

export class TaskProgress {
  /** The task runs (see run). */
  running = $state(false);
  done = $state(0);
  total = $state(0);
  /** True once the bar should show (see SHOW_AFTER_MS and SHOW_AT_ONCE_ABOVE). */
  visible = $state(false);
  percent = $derived(percent(this.done, this.total));

  /** What the task is doing, for people: "Backing up". */
  readonly label: string;
  readonly #task: string;
  readonly #source: ProgressSource;
  #off: (() => void) | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(task: string, label: string, source: ProgressSource) {
    this.#task = task;
    this.label = label;
    this.#source = source;
  }

  /** Runs the task, following its progress until it settles. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    this.start();
    this.running = true;
    try {
      return await task();
    } finally {
      this.stop();
      this.running = false;
    }
  }

  /** Listens from now on (the bar waits for the task's first event). */
  start(): void {
    this.stop();
    this.#off = this.#source((p) => this.#on(p));
  }

  /** Stops listening and hides the bar. */
  stop(): void {
    this.#off?.();
    this.#off = null;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.visible = false;
    this.done = 0;
    this.total = 0;
  }

  #on(p: ProgressEvent): void {
    if (p.task !== this.#task) return;
    this.done = p.done;
    this.total = p.total;
    if (this.visible) return;
    if (p.total > SHOW_AT_ONCE_ABOVE) {
      this.visible = true;
      return;
    }
    // Timed from the first event, not from the call: the call first waits on the system's
    // file dialog, and a bar under it would be noise.
    this.#timer ??= setTimeout(() => {
      this.#timer = null;
      this.visible = true;
    }, SHOW_AFTER_MS);
  }
}
