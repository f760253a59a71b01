// Learner state (suspend data) as a string. Format "1" + JSON of a plain object; the leading
// version marker lets a later, budgeted encoding replace this one without breaking old attempts.

const VERSION = "1";

/** Encode a plain object as a state string. */
export function encodeState(obj) {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) {
    throw new TypeError("encodeState expects a plain object");
  }
  return VERSION + JSON.stringify(obj);
}

/** Decode a state string; null for anything empty, of another version or malformed. */
export function decodeState(str) {
  if (typeof str !== "string" || !str.startsWith(VERSION)) return null;
  try {
    const obj = JSON.parse(str.slice(VERSION.length));
    return obj !== null && typeof obj === "object" && !Array.isArray(obj) ? obj : null;
  } catch {
    return null;
  }
}
