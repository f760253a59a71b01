// The xAPI attempt record of one learner in one course: the registration, and which statements
// were already made for it (initialized, each page's experienced, each module's and the course's
// completed, the last progress, the time of earlier sessions). Kept in storage, so a reload or a
// resumed attempt repeats none of them.

import { readRecord } from "../util/storage.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function read(storage, key) {
  const value = readRecord(storage, key);
  return value && Array.isArray(value.done) ? value : null;
}

/**
 * Open the record under `key`. The registration is the launch's when it gives one; else the
 * stored one, unless the LMS began a new attempt (`entry` "ab-initio"); else a new `uuid()`.
 */
export function openAttempt({ storage, key, registration = null, entry = "", uuid, log }) {
  const saved = read(storage, key);
  const kept = saved && UUID.test(String(saved.registration)) && entry !== "ab-initio";
  const id = registration ?? (kept ? saved.registration : uuid());
  let record = saved?.registration === id ? saved : { registration: id, done: [] };

  // Another tab of the same attempt may have written since: read before every change.
  function current() {
    const stored = read(storage, key);
    if (stored?.registration === id) record = stored;
    return record;
  }

  function save() {
    try {
      storage.setItem(key, JSON.stringify(record));
    } catch (error) {
      log("attempt record not saved (storage full or blocked)", error);
    }
  }

  save();
  return {
    registration: id,
    /** True the first time `mark` is claimed in this registration (then persisted), else false. */
    claim(mark) {
      if (current().done.includes(mark)) return false;
      record.done.push(mark);
      save();
      return true;
    },
    /** Whether `mark` was claimed. */
    has: (mark) => current().done.includes(mark),
    /** A stored number (`fallback` when there is none). */
    number: (name, fallback = 0) => (Number.isFinite(current()[name]) ? record[name] : fallback),
    /** Store the number `value` under `name`. */
    setNumber(name, value) {
      current()[name] = value;
      save();
    },
  };
}
