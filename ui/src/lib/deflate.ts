// The list's reply crosses IPC as zlib-deflated JSON (src-tauri/src/list_reply.rs,
// `deflate_json`): WebKitGTK hands a reply to the page 8 KiB at a time, so the 3 MB of a
// 10,000-row list took longer to move than to build. The browser's own streams inflate it.

/** The value a `deflate_json` reply holds; rejects when the bytes are not deflated JSON. */
export async function inflateJson<T>(bytes: ArrayBuffer): Promise<T> {
  const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  return (await new Response(inflated).json()) as T;
}

/** What `deflate_json` sends for `value`: for the dev mock and tests. */
export function deflateJson(value: unknown): Promise<ArrayBuffer> {
  const json = new Blob([JSON.stringify(value)]).stream();
  return new Response(json.pipeThrough(new CompressionStream("deflate"))).arrayBuffer();
}
