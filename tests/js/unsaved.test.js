import { test } from "node:test";
import assert from "node:assert/strict";
import { createUnsaved } from "../../templates/runtime/util/unsaved.js";

/** A localStorage stand-in; `broken` makes every call throw, as blocked storage does. */
function memoryStorage({ broken = false } = {}) {
  const items = new Map();
  const guard = () => {
    if (broken) throw new Error("SecurityError");
  };
  return {
    items,
    getItem: (k) => (guard(), items.has(k) ? items.get(k) : null),
    setItem: (k, v) => (guard(), items.set(k, String(v))),
    removeItem: (k) => (guard(), items.delete(k)),
  };
}

const KEY = "coursepack:unsaved:https://c.example/course";
const open = (storage, base, learnerId = "u7") =>
  createUnsaved({ storage, courseId: "https://c.example/course", learnerId, base });

test("what the LMS refused comes back at the next launch while the LMS holds what it held", () => {
  const storage = memoryStorage();
  const first = open(storage, "s0");
  first.note(true, { state: "s1", bookmark: "m/p1" });
  assert.equal(storage.items.size, 0, "nothing kept while the LMS takes every commit");
  first.note(false, { state: "s2", bookmark: "m/p2" });
  first.note(false, { state: "s3", bookmark: "m/p3" });
  const record = JSON.parse(storage.items.get(KEY));
  assert.deepEqual(record, {
    learner: record.learner, base: "s1", state: "s3", bookmark: "m/p3",
  });
  // The learner is told apart by a fingerprint of their id, never the LMS's id itself.
  assert.match(record.learner, /^[0-9a-f]{8}$/);
  assert.notEqual(record.learner, "u7");
  // The LMS still holds s1, its last commit taken: the launch resumes from s3.
  const second = open(storage, "s1");
  assert.deepEqual(second.restore(), { state: "s3", bookmark: "m/p3" });
  second.note(true, { state: "s3", bookmark: "m/p3" });
  assert.equal(storage.items.size, 0, "forgotten once the LMS took it");
  assert.equal(open(storage, "s3").restore(), null);
});

test("the LMS moved on since (another device), or another learner: the LMS's state wins", () => {
  const storage = memoryStorage();
  open(storage, "s1").note(false, { state: "s2", bookmark: "m/p2" });
  assert.equal(open(storage, "s1", "someone-else").restore(), null);
  assert.equal(storage.items.size, 1, "another learner's record is left alone");
  assert.equal(open(storage, "s9").restore(), null);
  assert.equal(storage.items.size, 0, "a record that no longer applies is dropped");
});

test("a refused end of session is kept too; refused again, the base stays the LMS's", () => {
  const storage = memoryStorage();
  const launch = open(storage, "s1");
  assert.deepEqual(launch.restore(), null);
  launch.note(false, { state: "s2", bookmark: "m/p2", final: true });
  const next = open(storage, "s1");
  assert.deepEqual(next.restore(), { state: "s2", bookmark: "m/p2" });
  next.note(false, { state: "s4", bookmark: "m/p4" });
  assert.equal(JSON.parse(storage.items.get(KEY)).base, "s1");
});

test("no learner id, no storage, blocked or garbled storage: nothing kept, nothing thrown", () => {
  const storage = memoryStorage();
  const anonymous = open(storage, "s1", null);
  anonymous.note(false, { state: "s2", bookmark: "m/p2" });
  assert.equal(anonymous.restore(), null);
  assert.equal(storage.items.size, 0);
  const none = open(null, "s1");
  none.note(false, { state: "s2", bookmark: "" });
  assert.equal(none.restore(), null);
  const blocked = open(memoryStorage({ broken: true }), "s1");
  blocked.note(false, { state: "s2", bookmark: "" });
  assert.equal(blocked.restore(), null);
  storage.items.set(KEY, "{not json");
  assert.equal(open(storage, "s1").restore(), null);
  open(storage, "s1").note(false, { state: "s2", bookmark: "" });
  const record = JSON.parse(storage.items.get(KEY));
  storage.items.set(KEY, JSON.stringify({ ...record, state: 5 }));
  assert.equal(open(storage, "s1").restore(), null);
});

test("a Terminate answered true (a beacon: sent, not taken) keeps a record with the last state", () => {
  const storage = memoryStorage();
  const launch = open(storage, "s1");
  launch.note(false, { state: "s2", bookmark: "m/p2" });
  launch.note(true, { state: "s3", bookmark: "m/p3", final: true });
  assert.deepEqual(open(storage, "s1").restore(), { state: "s3", bookmark: "m/p3" });
  // It did arrive: the LMS holds s3 now, and the record is dropped.
  const other = memoryStorage();
  const fine = open(other, "s1");
  fine.note(true, { state: "s2", bookmark: "m/p2", final: true });
  assert.equal(other.items.size, 0, "no record made at an end the LMS answered true");
  launch.note(false, { state: "s4", bookmark: "m/p4" });
  assert.equal(open(storage, "s4").restore(), null);
  assert.equal(storage.items.size, 0);
});
