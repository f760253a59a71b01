// SCORM 1.2 adapter over window.API (SCORM 1.2 Run-Time Environment). Without an API every
// method is a safe no-op and start() reports {connected: false}, so main.js can fall back.

import { createSession, ENTRIES, round } from "./session.js";
import { interactionValues12 } from "../util/interactions.js";
import { objectiveValues12, percentOf } from "../util/objectives.js";
import { scorm12Time } from "../util/time.js";

// One lesson_status field: passed/failed outrank completed, which outranks incomplete.
const DONE = new Set(["passed", "failed", "completed"]);
const METHODS = {
  initialize: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue",
  lastError: "LMSGetLastError", errorString: "LMSGetErrorString",
};

/** mastery_score is CMIDecimal 0-100, empty when the manifest has no adlcp:masteryscore. */
function masteryOf(text) {
  if (text.trim() === "") return null;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 && n <= 100 ? n : null;
}

/** The SCORM 1.2 adapter; `now` returns milliseconds and is only used for session time. */
export function createAdapter({ win = globalThis.window, now = () => Date.now() } = {}) {
  const session = createSession({ win, apiName: "API", methods: METHODS });
  const { get, set } = session;
  let startedAt = 0;
  let status = "";

  const setStatus = (value) => {
    if (set("cmi.core.lesson_status", value)) status = value;
  };

  return {
    errors: session.errors,

    /** Initialize the session once and read what the LMS knows about this learner. */
    start() {
      return session.start(() => {
        startedAt = now();
        const entry = get("cmi.core.entry");
        const info = {
          connected: true,
          entry: ENTRIES.has(entry) ? entry : "",
          bookmark: get("cmi.core.lesson_location"),
          state: get("cmi.suspend_data"),
          masteryScore: masteryOf(get("cmi.student_data.mastery_score")),
          learnerId: get("cmi.core.student_id") || null,
          learnerName: get("cmi.core.student_name") || null,
        };
        // An empty or unknown answer says nothing (docs/lms.md, Open edX): main.js reports the
        // status its own learner state has reached, and incomplete() marks a new attempt.
        const read = get("cmi.core.lesson_status");
        status = DONE.has(read) || read === "incomplete" ? read : "";
        return info;
      });
    },

    setBookmark(location) {
      set("cmi.core.lesson_location", String(location ?? "").slice(0, 255));
    },

    /** SCORM 1.2 has no progress measure. */
    setProgress() {},

    /** Write the score as a percentage: LMSs compare raw with mastery_score (0-100). */
    setScore(score) {
      const pct = percentOf(score ?? {});
      if (pct === null) return;
      set("cmi.core.score.raw", round(pct, 2));
      set("cmi.core.score.min", "0");
      set("cmi.core.score.max", "100");
    },

    complete() {
      if (!DONE.has(status)) setStatus("completed");
    },
    pass() {
      setStatus("passed");
    },
    fail() {
      setStatus("failed");
    },
    incomplete() {
      if (status === "") setStatus("incomplete");
    },

    saveState(text) {
      set("cmi.suspend_data", String(text ?? ""));
    },

    /** Append one answer at cmi.interactions._count (1.2 interactions are a write-only journal). */
    recordInteraction(record) {
      session.recordInteraction(record, interactionValues12);
    },

    /** Update the cmi.objectives entry with `scormId`, or append it. */
    setObjective(objective) {
      session.setObjective(objective?.scormId, objective, objectiveValues12, objective?.index);
    },

    /** Interactions written in earlier sessions (where to append if _count is unreadable). */
    seedInteractions(count) {
      session.seedInteractions(count);
    },

    /** Commit; false when the LMS refused it (its session may have expired), else true. */
    commit() {
      return session.active ? session.confirmed("LMSCommit") : undefined;
    },

    /**
     * Write session time and exit, commit and finish; later calls do nothing. Returns false when
     * the LMS refused the last commit or the finish.
     */
    finish({ suspend = !DONE.has(status) } = {}) {
      if (!session.active) {
        session.end();
        return undefined;
      }
      set("cmi.core.session_time", scorm12Time(now() - startedAt));
      set("cmi.core.exit", suspend ? "suspend" : "");
      const saved = session.confirmed("LMSCommit");
      const finished = session.confirmed("LMSFinish");
      session.end();
      return saved && finished;
    },
  };
}
