// Find the LMS API object (the pipwerks walk): this window and its parents, then the opener
// of the top window and of this window, and their parents. Every property access is guarded
// because touching a cross-origin frame throws a SecurityError.

function read(win, key) {
  try {
    return win[key];
  } catch {
    return undefined;
  }
}

function apiIn(win, name) {
  const api = read(win, name);
  return api !== null && (typeof api === "object" || typeof api === "function") ? api : null;
}

/** Walk `win` and its parents, at most `limit` steps up; the API object or null. */
function walkUp(win, name, limit) {
  let current = win;
  for (let steps = 0; current; steps += 1) {
    const api = apiIn(current, name);
    if (api) return api;
    const parent = read(current, "parent");
    if (!parent || parent === current || steps >= limit) return null;
    current = parent;
  }
  return null;
}

/** The LMS API object `name` ("API" or "API_1484_11") reachable from `win`, or null. */
export function findApi(win, name, limit = 500) {
  if (!win) return null;
  const found = walkUp(win, name, limit);
  if (found) return found;
  const top = read(win, "top");
  const openers = [top ? read(top, "opener") : undefined, read(win, "opener")];
  for (const opener of openers) {
    const api = opener ? walkUp(opener, name, limit) : null;
    if (api) return api;
  }
  return null;
}
