import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  percent,
  SHOW_AFTER_MS,
  TaskProgress,
  type ProgressEvent,
  type ProgressSource,
} from "./taskProgress.svelte";

/** A stand-in for the store's progress events. */
function events() {
  const listeners = new Set<(p: ProgressEvent) => void>();
  const source: ProgressSource = (cb) => {
    listeners.add(cb);
    return () => listeners.delete(cb);
  };
  const send = (task: string, done: number, total: number) => {
    for (const cb of listeners) cb({ kind: "progress", task, done, total });
  };
  return { source, send, listeners };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("TaskProgress", () => {
  it("does not show a small task that ends quickly (no flicker)", () => {
    const { source, send } = events();
    const p = new TaskProgress("backup", "Backing up", source);
    p.start();
    send("backup", 1, 2);
    vi.advanceTimersByTime(SHOW_AFTER_MS - 50);
    send("backup", 2, 2);
    expect(p.visible).toBe(false);
    p.stop();
    vi.advanceTimersByTime(1000);
    expect(p.visible).toBe(false);
  });

  it("shows a small task once it has run for a moment, timed from its first event", () => {
    const { source, send } = events();
    const p = new TaskProgress("restore", "Restoring", source);
    p.start();
    // The call first waits on the system's file dialog: no bar for that.
    vi.advanceTimersByTime(5000);
    expect(p.visible).toBe(false);
    send("restore", 10, 400);
    vi.advanceTimersByTime(SHOW_AFTER_MS);
    expect(p.visible).toBe(true);
    send("restore", 200, 400);
    expect([p.done, p.total, p.percent]).toEqual([200, 400, 50]);
  });

  it("shows a large task at once", () => {
    const { source, send } = events();
    const p = new TaskProgress("backup", "Backing up", source);
    p.start();
    send("backup", 100, 10_000);
    expect(p.visible).toBe(true);
    expect(p.percent).toBe(1);
  });

  it("follows only its own task, and stops listening when stopped", () => {
    const { source, send, listeners } = events();
    const p = new TaskProgress("backup", "Backing up", source);
    p.start();
    send("restore", 5000, 10_000);
    expect(p.visible).toBe(false);
    expect(p.done).toBe(0);
    p.stop();
    expect(listeners.size).toBe(0);
    send("backup", 5000, 10_000);
    expect(p.visible).toBe(false);
  });
});

describe("percent", () => {
  it("is whole, within 0–100, and 0 for an empty task", () => {
    expect(percent(0, 0)).toBe(0);
    expect(percent(1, 3)).toBe(33);
    expect(percent(3, 3)).toBe(100);
    expect(percent(4, 3)).toBe(100);
  });
});
