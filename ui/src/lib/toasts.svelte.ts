// App-wide toasts. Errors say what to do and stay ~6 s; each can be closed.
export type Toast = { id: number; kind: "error" | "info"; message: string };

export const TOAST_MS = 6000;

let nextId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

export const toasts = $state<{ list: Toast[] }>({ list: [] });

export function dismissToast(id: number): void {
  const t = timers.get(id);
  if (t !== undefined) clearTimeout(t);
  timers.delete(id);
  toasts.list = toasts.list.filter((x) => x.id !== id);
}

export function showToast(kind: Toast["kind"], message: string): number {
  // The same message twice in a row (e.g. a burst of failures) shows once.
  const dup = toasts.list.find((x) => x.kind === kind && x.message === message);
  if (dup) dismissToast(dup.id);
  const id = nextId++;
  toasts.list = [...toasts.list.slice(-3), { id, kind, message }];
  timers.set(
    id,
    setTimeout(() => dismissToast(id), TOAST_MS),
  );
  return id;
}
