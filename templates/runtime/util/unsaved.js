// What the LMS refused to save, kept in the browser until it takes it (docs/lms.md). An LMS whose
// session expired answers every commit `false`: without this, what the learner did from then on
// is gone at the next launch. The record holds the learner state and bookmark the LMS refused,
// and `base`, the state the LMS last took. At the next launch in this browser it is used only if
// the LMS still holds exactly `base` (nothing was saved since, from here or another device) and
// the learner is the same; else it is dropped and the LMS's state wins. One record per course.

import { readRecord } from "./storage.js";

const PREFIX = "coursepack:unsaved:";

/** FNV-1a (32 bits) of `text`, hex: the learner is told apart without their LMS id in storage. */
function fingerprint(text) {
  let hash = 0x811c9dc5;
  for (const unit of String(text)) {
    hash ^= unit.codePointAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/**
 * The record of course `courseId` for `learnerId` in `storage` (localStorage, or null): the LMS
 * held `base` at launch. Without a learner id there is no telling whose progress it is: nothing
 * is kept or restored.
 */
export function createUnsaved({ storage, courseId, learnerId, base }) {
  const key = PREFIX + courseId;
  const usable = Boolean(storage && learnerId);
  const learner = usable ? fingerprint(learnerId) : "";
  let taken = String(base ?? ""); // the state the LMS last took
  const read = () => readRecord(storage, key);
  const write = (record) => {
    try {
      if (record) storage.setItem(key, JSON.stringify(record));
      else storage.removeItem(key);
    } catch {
      // Storage full or blocked: nothing to keep it in.
    }
  };

  return {
    /**
     * At launch: `{state, bookmark}` the LMS refused last time, when the LMS still holds what
     * it held then; else null (and a record that no longer applies is dropped).
     */
    restore() {
      if (!usable) return null;
      const record = read();
      if (!record || record.learner !== learner) return null;
      if (record.base !== taken || typeof record.state !== "string") {
        write(null);
        return null;
      }
      return { state: record.state, bookmark: String(record.bookmark ?? "") };
    },
    /**
     * A commit's result for `{state, bookmark}`: false keeps them, true forgets the record. At
     * the end of the session (`final`) true may only mean "sent" (2004's Terminate goes as a
     * beacon): a record already kept then takes the last state, and the next launch decides by
     * what the LMS holds.
     */
    note(result, { state, bookmark, final = false }) {
      if (!usable) return;
      if (result === true && !final) {
        taken = state;
        write(null);
      } else if (result === false || (final && read()?.learner === learner)) {
        write({ learner, base: taken, state, bookmark });
      }
    },
  };
}
