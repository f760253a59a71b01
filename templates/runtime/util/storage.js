// The browser's storage, as the runtime may use it: sandboxed frames and blocked cookies make
// even reading `localStorage` throw, and what is stored may be anything.

/** win.localStorage, or null where reading it throws (sandboxed frames, blocked cookies). */
export function browserStorage(win) {
  try {
    return win?.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The JSON object stored under `key` in `storage` (or null), or null: absent, not JSON, not an
 * object, or storage that throws. */
export function readRecord(storage, key) {
  try {
    const value = JSON.parse(storage?.getItem(key) ?? "null");
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}
