// The adapter interface every standard's adapter implements (docs/runtime.md, Adapters), and
// connecting to one. `start()` may return the launch information or a promise of it: SCORM's
// API is synchronous, while an adapter that must first fetch something (cmi5's token) is not.

/** What every adapter has besides `start()` and `errors`. */
export const VERBS = Object.freeze(["setBookmark", "setProgress", "setScore", "complete", "pass",
  "fail", "incomplete", "saveState", "recordInteraction", "setObjective", "seedInteractions",
  "commit", "finish"]);

/** What `start()` reports when no LMS is there. */
export const OFFLINE = Object.freeze({
  connected: false, entry: "", bookmark: "", state: "", masteryScore: null, learnerId: null,
  learnerName: null,
});

/** Whether `adapter` has the whole interface. */
export function isAdapter(adapter) {
  return typeof adapter?.start === "function"
    && VERBS.every((verb) => typeof adapter[verb] === "function");
}

/** An adapter that keeps nothing: the course still works when no adapter could be loaded. */
export function offlineAdapter() {
  const adapter = { errors: [], start: () => OFFLINE };
  for (const verb of VERBS) adapter[verb] = () => false;
  return adapter;
}

/**
 * Start the adapter `createAdapter(options)`; when it finds no LMS (`connected` false) and a
 * `fallback` is given, start that instead (SCORM packages opened outside an LMS keep progress in
 * the browser). Resolves to {lms, info}.
 */
export async function connect(createAdapter, options, fallback = null) {
  const adapter = createAdapter(options);
  if (!isAdapter(adapter)) throw new Error("coursepack: the adapter lacks part of the interface");
  const info = await adapter.start();
  if (info.connected || !fallback) return { lms: adapter, info };
  const web = fallback(options);
  // What the adapter has to tell the learner (`notice`, a message key) survives the fallback.
  const notice = info.notice ? { notice: info.notice } : {};
  return { lms: web, info: { ...(await web.start()), ...notice } };
}
