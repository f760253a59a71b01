// The runtime's learner-facing strings, in the course's language: the course data carries them
// (`messages`, the `runtime.*` keys of templates/messages/<language>.json; builder/catalogue.py).
// main.js sets them once; every module words what it shows with `t(key, params)`.

let table = {};

/** Use `messages` (key -> text with `{name}` placeholders) from now on. */
export function setMessages(messages) {
  table = messages && typeof messages === "object" ? { ...messages } : {};
}

/** The message `key` with its `{name}` placeholders filled from `params`; the key if unknown. */
export function t(key, params = {}) {
  const text = table[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}
