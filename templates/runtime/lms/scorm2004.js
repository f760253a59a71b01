// SCORM 2004 (3rd/4th edition) adapter over window.API_1484_11 (SCORM 2004 RTE book).
// Without an API every method is a safe no-op and start() reports {connected: false}.

import { findApi } from "./discover.js";
import { interactionValues2004 } from "../util/interactions.js";
import { objectiveIndex, objectiveValues2004, scaledOf } from "../util/objectives.js";
import { iso8601Duration } from "../util/time.js";

const MAX_ERRORS = 20;
const THREW = Symbol("threw");
const NOT_INITIALIZED = 403; // GetValue on an element nobody has set yet: not a failure.
const ENTRIES = new Set(["ab-initio", "resume"]);
const DISCONNECTED = Object.freeze({
  connected: false, entry: "", bookmark: "", state: "", masteryScore: null, learnerId: null,
});

const isTrue = (result) => result === true || String(result) === "true";
const clamp = (n, lo, hi) => Math.min(hi, Math.max(lo, n));
const describe = (text) => (typeof text === "string" ? text : "");
const round = (n, places) => String(Math.round(n * 10 ** places) / 10 ** places);

/** cmi.scaled_passing_score (-1..1, empty when the manifest sets none) as a percentage 0-100. */
function masteryOf(text) {
  if (text.trim() === "") return null;
  const n = Number(text);
  return Number.isFinite(n) && n >= -1 && n <= 1 ? Number(round(Math.max(0, n) * 100, 4)) : null;
}

/** The SCORM 2004 adapter; `now` returns milliseconds and is only used for session time. */
export function createAdapter({ win = globalThis.window, now = () => Date.now() } = {}) {
  const errors = [];
  let api = null;
  let info = null;
  let done = false;
  let startedAt = 0;
  let completion = "";

  function log(call, element, code, message) {
    if (errors.length >= MAX_ERRORS) errors.shift();
    errors.push({ call, element, code, message });
  }

  function invoke(method, args) {
    try {
      return api[method](...args);
    } catch (err) {
      log(method, args[0] ?? "", -1, String(err?.message ?? err));
      return THREW;
    }
  }

  /** Call `method`, then GetLastError; log a non-zero code. Returns [result, ok]. */
  function call(method, ...args) {
    if (!api || done) return [undefined, false];
    const result = invoke(method, args);
    if (result === THREW) return [undefined, false];
    const code = Number.parseInt(String(invoke("GetLastError", [])), 10) || 0;
    const benign = code === NOT_INITIALIZED && method === "GetValue";
    if (code !== 0 && !benign) {
      log(method, args[0] ?? "", code, describe(invoke("GetErrorString", [String(code)])));
    } else if (method !== "GetValue" && !isTrue(result)) {
      log(method, args[0] ?? "", 0, "returned false");
    }
    return [result, code === 0 || benign];
  }

  const get = (element) => {
    const [value] = call("GetValue", element);
    return value == null ? "" : String(value);
  };
  const set = (element, value) => {
    const [result, ok] = call("SetValue", element, String(value));
    return ok && isTrue(result);
  };
  const setCompletion = (value) => {
    if (set("cmi.completion_status", value)) completion = value;
  };
  /** Write [element, value] pairs in order; give up if the first (the new entry's id) fails. */
  const setAll = (pairs) => {
    for (const [i, [element, value]] of pairs.entries()) {
      if (!set(element, value) && i === 0) return;
    }
  };

  return {
    errors,

    /** Initialize the session once and read what the LMS knows about this learner. */
    start() {
      if (info) return info;
      api = findApi(win, "API_1484_11");
      if (!api || !isTrue(call("Initialize", "")[0])) {
        api = null;
        info = DISCONNECTED;
        return info;
      }
      startedAt = now();
      const entry = get("cmi.entry");
      info = {
        connected: true,
        entry: ENTRIES.has(entry) ? entry : "",
        bookmark: get("cmi.location"),
        state: get("cmi.suspend_data"),
        masteryScore: masteryOf(get("cmi.scaled_passing_score")),
        learnerId: get("cmi.learner_id") || null,
      };
      completion = get("cmi.completion_status");
      if (completion !== "completed" && completion !== "incomplete") setCompletion("incomplete");
      return info;
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
      if (completion !== "completed") setCompletion("incomplete");
    },

    saveState(text) {
      set("cmi.suspend_data", String(text ?? ""));
    },

    /** Append one answer at cmi.interactions._count; a retake appends new entries. */
    recordInteraction(record) {
      if (!api || done || !record?.interaction) return;
      const n = Number.parseInt(get("cmi.interactions._count"), 10) || 0;
      setAll(interactionValues2004(n, { ...record, timestamp: record.timestamp ?? Date.now() }));
    },

    /** Update the cmi.objectives entry with `id2004`, or append it. */
    setObjective(objective) {
      if (!api || done || !objective?.id2004) return;
      const { index, found } = objectiveIndex(get, objective.id2004);
      setAll(objectiveValues2004(index, found, objective));
    },

    /** Commit during the session (visibilitychange), never right before Terminate. */
    commit() {
      call("Commit", "");
    },

    /** Write session time and exit, then Terminate; later calls do nothing. */
    finish({ suspend = completion !== "completed" } = {}) {
      if (!api || done) {
        done = true;
        return;
      }
      set("cmi.session_time", iso8601Duration(now() - startedAt));
      set("cmi.exit", suspend ? "suspend" : "normal");
      // No Commit here: Terminate commits implicitly and Cornerstone rejects a Commit
      // issued during unload (adapt_framework#2222, pipwerks#40).
      call("Terminate", "");
      done = true;
    },
  };
}
