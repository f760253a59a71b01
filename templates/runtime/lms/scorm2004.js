// SCORM 2004 (3rd/4th edition) adapter over window.API_1484_11 (SCORM 2004 RTE book).
// Without an API every method is a safe no-op and start() reports {connected: false}.

import { createSession, ENTRIES, round } from "./session.js";
import { interactionValues2004 } from "../util/interactions.js";
import { objectiveValues2004, scaledOf } from "../util/objectives.js";
import { iso8601Duration } from "../util/time.js";

const NOT_INITIALIZED = 403; // GetValue on an element nobody has set yet: not a failure.
const METHODS = {
  initialize: "Initialize", get: "GetValue", set: "SetValue",
  lastError: "GetLastError", errorString: "GetErrorString",
};

const clamp = (n, lo, hi) => Math.min(hi, Math.max(lo, n));

/** cmi.scaled_passing_score (-1..1, empty when the manifest sets none) as a percentage 0-100. */
function masteryOf(text) {
  if (text.trim() === "") return null;
  const n = Number(text);
  return Number.isFinite(n) && n >= -1 && n <= 1 ? Number(round(Math.max(0, n) * 100, 4)) : null;
}

/** The SCORM 2004 adapter; `now` returns milliseconds and is only used for session time. */
export function createAdapter({ win = globalThis.window, now = () => Date.now() } = {}) {
  const session = createSession({
    win, apiName: "API_1484_11", methods: METHODS, benignGetCode: NOT_INITIALIZED,
  });
  const { get, set } = session;
  let startedAt = 0;
  let completion = "";

  const setCompletion = (value) => {
    if (set("cmi.completion_status", value)) completion = value;
  };

  return {
    errors: session.errors,

    /** Initialize the session once and read what the LMS knows about this learner. */
    start() {
      return session.start(() => {
        startedAt = now();
        const entry = get("cmi.entry");
        const info = {
          connected: true,
          entry: ENTRIES.has(entry) ? entry : "",
          bookmark: get("cmi.location"),
          state: get("cmi.suspend_data"),
          masteryScore: masteryOf(get("cmi.scaled_passing_score")),
          learnerId: get("cmi.learner_id") || null,
          learnerName: get("cmi.learner_name") || null,
        };
        // An empty answer says nothing (docs/lms.md, Open edX): main.js reports what its own
        // learner state has reached, and incomplete() marks a new attempt.
        const read = get("cmi.completion_status");
        completion = read === "completed" || read === "incomplete" ? read : "";
        return info;
      });
    },

    setBookmark(location) {
      set("cmi.location", String(location ?? "").slice(0, 1000));
    },

    /** cmi.progress_measure (0..1); the LMS may judge completion from it (completion_threshold). */
    setProgress(measure) {
      const n = Number(measure);
      if (Number.isFinite(n)) set("cmi.progress_measure", round(clamp(n, 0, 1), 4));
    },

    setScore(score) {
      const s = score ?? {};
      const scaled = scaledOf(s);
      if (scaled === null) return;
      set("cmi.score.scaled", round(scaled, 4));
      const hasRaw = Number.isFinite(s.raw) && Number.isFinite(s.max);
      set("cmi.score.raw", round(hasRaw ? s.raw : scaled * 100, 2));
      set("cmi.score.min", round(hasRaw ? (s.min ?? 0) : 0, 2));
      set("cmi.score.max", round(hasRaw ? s.max : 100, 2));
    },

    complete() {
      if (completion !== "completed") setCompletion("completed");
    },
    pass() {
      set("cmi.success_status", "passed");
    },
    fail() {
      set("cmi.success_status", "failed");
    },
    incomplete() {
      if (completion === "") setCompletion("incomplete");
    },

    saveState(text) {
      set("cmi.suspend_data", String(text ?? ""));
    },

    /** Append one answer at cmi.interactions._count; a retake appends new entries. */
    recordInteraction(record) {
      session.recordInteraction(record, interactionValues2004);
    },

    /** Update the cmi.objectives entry with `scormId`, or append it. */
    setObjective(objective) {
      session.setObjective(objective?.scormId, objective, objectiveValues2004, objective?.index);
    },

    /** Interactions written in earlier sessions (where to append if _count is unreadable). */
    seedInteractions(count) {
      session.seedInteractions(count);
    },

    /**
     * Commit during the session (visibilitychange), never right before Terminate; false when the
     * LMS refused it (its session may have expired), else true.
     */
    commit() {
      return session.active ? session.confirmed("Commit") : undefined;
    },

    /**
     * Write session time and exit, then Terminate; later calls do nothing. `request` is a
     * navigation request for the LMS's sequencer (adl.nav.request: "continue" to the next SCO of
     * a package of several, "exitAll" after the last), set before Terminate (SN book 4.2).
     * Returns false when the LMS refused the Terminate.
     */
    finish({ suspend = completion !== "completed", request = "" } = {}) {
      if (!session.active) {
        session.end();
        return undefined;
      }
      set("cmi.session_time", iso8601Duration(now() - startedAt));
      set("cmi.exit", suspend ? "suspend" : "normal");
      if (request) set("adl.nav.request", request);
      // No Commit here: Terminate commits implicitly and Cornerstone rejects a Commit
      // issued during unload (adapt_framework#2222, pipwerks#40).
      const saved = session.confirmed("Terminate");
      session.end();
      return saved; // false: the LMS refused to save the session
    },
  };
}
