// One SCORM API session: find the API, call it safely, check the last error, keep an error log.
// The SCORM 1.2 and 2004 adapters differ only in method names and elements; both build on this.

import { findApi } from "./discover.js";
import { objectiveIndex } from "../util/objectives.js";

const MAX_ERRORS = 20;
const THREW = Symbol("threw");

export const isTrue = (result) => result === true || String(result) === "true";
export const round = (n, places) => String(Math.round(n * 10 ** places) / 10 ** places);
const describe = (text) => (typeof text === "string" ? text : "");

/**
 * A session over the API object named `apiName` (found from `win`). `methods` names the calls:
 * {initialize, get, set, lastError, errorString}. `benignGetCode` is an error code that a GetValue
 * may return without it being a failure (2004's 403, "not initialized").
 */
export function createSession({ win, apiName, methods, benignGetCode = null }) {
  const errors = [];
  let api = null;
  let done = false;
  let started = null;
  // Our own count of the interactions written, for LMSs whose _count reads "" (Open edX's
  // SCORM XBlock answers every GetValue with ""): seeded from the learner state on resume.
  let ownCount = 0;

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

  /** Call `method`, then the last-error method; log a failure. Returns [result, ok]. */
  function call(method, ...args) {
    if (!api || done) return [undefined, false];
    const result = invoke(method, args);
    if (result === THREW) return [undefined, false];
    const code = Number.parseInt(String(invoke(methods.lastError, [])), 10) || 0;
    const benign = code !== 0 && code === benignGetCode && method === methods.get;
    if (code !== 0 && !benign) {
      log(method, args[0] ?? "", code, describe(invoke(methods.errorString, [String(code)])));
    } else if (method !== methods.get && !isTrue(result)) {
      log(method, args[0] ?? "", 0, "returned false");
    }
    return [result, code === 0 || benign];
  }

  const get = (element) => {
    const [value] = call(methods.get, element);
    return value == null ? "" : String(value);
  };
  const set = (element, value) => {
    const [result, ok] = call(methods.set, element, String(value));
    return ok && isTrue(result);
  };

  /** Find the API and initialize it; false when there is no LMS or it refuses. */
  function connect() {
    api = findApi(win, apiName);
    if (api && isTrue(call(methods.initialize, "")[0])) return true;
    api = null;
    return false;
  }

  /** Write [element, value] pairs in order; give up if the first (a new entry's id) fails. */
  function setAll(pairs) {
    for (const [i, [element, value]] of pairs.entries()) {
      if (!set(element, value) && i === 0) return;
    }
  }

  return {
    errors,
    call,
    get,
    set,
    setAll,
    connect,
    /**
     * Connect once and return `read()`, what the LMS knows about the learner; DISCONNECTED (and
     * no later calls) when there is no LMS. Every later call returns the first answer.
     */
    start(read) {
      if (started) return started;
      if (!connect()) {
        done = true;
        started = DISCONNECTED;
        return started;
      }
      started = read();
      return started;
    },
    /**
     * Call `method` (a commit or the end of the session): whether the LMS took it. Refused is
     * an error code, an exception, or "false"; an LMS that answers nothing at all (not SCORM,
     * but some do) is taken at its word, so that it does not tell the learner of a failure.
     */
    confirmed(method) {
      const [result, ok] = call(method, "");
      return ok && String(result) !== "false";
    },
    /** Whether calls still reach the LMS (connected and not finished). */
    get active() {
      return api !== null && !done;
    },
    /** Stop every later call (after Terminate/LMSFinish, or when there was no LMS). */
    end() {
      done = true;
    },
    /** How many interactions earlier sessions wrote: where to append when _count is unreadable. */
    seedInteractions(count) {
      if (Number.isInteger(count) && count > ownCount) ownCount = count;
    },
    /**
     * Append one answer at cmi.interactions._count, as `values(n, record)` writes it; when the
     * LMS answers _count with something that is not a count, at our own count instead.
     */
    recordInteraction(record, values) {
      if (api === null || done || !record?.interaction) return;
      const n = countOf(get("cmi.interactions._count")) ?? ownCount;
      setAll(values(n, { ...record, timestamp: record.timestamp ?? Date.now() }));
      ownCount = n + 1;
    },
    /**
     * Update the cmi.objectives entry with id `id`, or append it, as `values` writes it. When
     * _count is unreadable the entry goes at `fallback`, its fixed place in the course.
     */
    setObjective(id, objective, values, fallback) {
      if (api === null || done || !id) return;
      if (countOf(get("cmi.objectives._count")) === null && Number.isInteger(fallback)) {
        setAll(values(fallback, false, objective));
        return;
      }
      const { index, found } = objectiveIndex(get, id);
      setAll(values(index, found, objective));
    },
  };
}

/** A `_count` value as a whole number, or null when the LMS answered something else (""). */
export function countOf(text) {
  const value = String(text ?? "").trim();
  return /^\d+$/.test(value) ? Number(value) : null;
}

/** What start() reports when no LMS is there. */
export const DISCONNECTED = Object.freeze({
  connected: false, entry: "", bookmark: "", state: "", masteryScore: null, learnerId: null,
  learnerName: null,
});

export const ENTRIES = new Set(["ab-initio", "resume"]);
