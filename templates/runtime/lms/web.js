// Plain-web adapter: no LMS, the attempt lives in browser storage so the course resumes.
// Also the fallback of the SCORM adapters when no LMS API is found (lms/connect.js).

import { formatResponse } from "../util/interactions.js";
import { browserStorage } from "../util/storage.js";

const MAX_ERRORS = 20;
const MAX_INTERACTIONS = 200; // The newest answers are kept; the record must fit in storage.
const STRING_FIELDS = ["bookmark", "state", "completion", "success"];
const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

/** Keep only well-typed fields of a stored record. */
function sanitize(saved) {
  const record = {
    bookmark: "", state: "", completion: "", success: "", score: null, progress: null,
    interactions: [], objectives: {},
  };
  if (saved === null || typeof saved !== "object") return record;
  for (const field of STRING_FIELDS) {
    if (typeof saved[field] === "string") record[field] = saved[field];
  }
  if (saved.score !== null && typeof saved.score === "object") record.score = saved.score;
  if (Number.isFinite(saved.progress)) record.progress = saved.progress;
  if (Array.isArray(saved.interactions)) {
    record.interactions = saved.interactions.filter(isObject).slice(-MAX_INTERACTIONS);
  }
  if (isObject(saved.objectives)) record.objectives = saved.objectives;
  return record;
}

/** The web adapter; state is kept under "coursepack:<courseId>" in `storage`. */
export function createAdapter({ win = globalThis.window, storage, courseId = "" } = {}) {
  const errors = [];
  const store = storage === undefined ? browserStorage(win) : storage;
  const key = `coursepack:${courseId}`;
  let record = sanitize(null);
  let info = null;
  let done = false;

  function log(call, err) {
    if (errors.length >= MAX_ERRORS) errors.shift();
    errors.push({ call, element: key, code: -1, message: String(err?.message ?? err) });
  }

  function load() {
    try {
      const text = store ? store.getItem(key) : null;
      return text ? JSON.parse(text) : null;
    } catch (err) {
      log("getItem", err);
      return null;
    }
  }

  function save() {
    if (!store) return;
    try {
      store.setItem(key, JSON.stringify(record));
    } catch (err) {
      log("setItem", err); // Quota exceeded or storage blocked: keep going in memory.
    }
  }

  const update = (changes) => {
    if (!info || done) return;
    Object.assign(record, changes);
    save();
  };

  return {
    errors,
    /** A reload of the page starts a new session that resumes from the browser storage. */
    reopens: true,

    /** Read the saved attempt; entry is "resume" when there is one. */
    start() {
      if (info) return info;
      const saved = load();
      record = sanitize(saved);
      info = {
        connected: false,
        entry: saved ? "resume" : "ab-initio",
        bookmark: record.bookmark,
        state: record.state,
        masteryScore: null,
        learnerId: null,
        learnerName: null,
      };
      if (!record.completion) update({ completion: "incomplete" });
      return info;
    },

    setBookmark(location) {
      update({ bookmark: String(location ?? "") });
    },
    setProgress(measure) {
      const n = Number(measure);
      if (Number.isFinite(n)) update({ progress: Math.min(1, Math.max(0, n)) });
    },
    setScore({ raw = null, min = null, max = null, scaled = null } = {}) {
      update({ score: { raw, min, max, scaled } });
    },
    complete() {
      update({ completion: "completed" });
    },
    pass() {
      update({ success: "passed" });
    },
    fail() {
      update({ success: "failed" });
    },
    incomplete() {
      if (record.completion !== "completed") update({ completion: "incomplete" });
    },
    saveState(text) {
      update({ state: String(text ?? "") });
    },

    /** Keep the answer (response as xAPI would report it) among the newest 200. */
    recordInteraction({ interaction, response, correct = null, latencyMs = null, timestamp } = {}) {
      if (!interaction) return;
      const date = new Date(timestamp ?? Date.now());
      const entry = {
        id: interaction.iri,
        type: interaction.type,
        response: formatResponse("xapi", interaction, response),
        correct,
        latencyMs: Number.isFinite(latencyMs) ? latencyMs : null,
        timestamp: Number.isNaN(date.getTime()) ? null : date.toISOString(),
      };
      update({ interactions: [...record.interactions, entry].slice(-MAX_INTERACTIONS) });
    },

    /** Keep the module objective's latest score and status, by its id. */
    setObjective({ iri, scaled = null, raw = null, min = null, max = null, success = null,
      completion = null } = {}) {
      if (!iri) return;
      const entry = { scaled, raw, min, max, success, completion };
      update({ objectives: { ...record.objectives, [iri]: entry } });
    },

    /** Answers are kept in a list of their own here, so there is no count to seed. */
    seedInteractions() {},

    /** Every change is already written through; nothing to flush. */
    commit() {},

    /** End the session; the saved attempt is kept so the course can be resumed or reviewed. */
    finish() {
      done = true;
    },
  };
}
