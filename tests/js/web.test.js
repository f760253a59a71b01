import { test } from "node:test";
import assert from "node:assert/strict";
import { createAdapter } from "../../templates/runtime/lms/web.js";
import { connect, isAdapter, offlineAdapter } from "../../templates/runtime/lms/connect.js";
import { createAdapter as createScorm12 } from "../../templates/runtime/lms/scorm12.js";
import { createAdapter as createScorm2004 } from "../../templates/runtime/lms/scorm2004.js";

/** A Storage-like object over a Map, optionally failing on write. */
function memoryStorage({ failWrites = false } = {}) {
  const items = new Map();
  return {
    items,
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem(key, value) {
      if (failWrites) throw new Error("QuotaExceededError");
      items.set(key, String(value));
    },
  };
}

const COURSE = "https://example.org/courses/intro";

test("a first visit starts ab-initio, not connected", () => {
  const storage = memoryStorage();
  const info = createAdapter({ storage, courseId: COURSE }).start();
  assert.deepEqual({ ...info }, {
    connected: false, entry: "ab-initio", bookmark: "", state: "", masteryScore: null, learnerId: null,
    learnerName: null,
  });
});

test("state, bookmark and status persist under a key naming the course, and resume", () => {
  const storage = memoryStorage();
  const first = createAdapter({ storage, courseId: COURSE });
  first.start();
  first.setBookmark("page-3");
  first.saveState('1{"seen":[0,1,2]}');
  first.setProgress(0.5);
  first.setScore({ raw: 3, min: 0, max: 4, scaled: 0.75 });
  first.complete();
  first.incomplete();
  first.pass();
  first.finish({ suspend: true });
  assert.deepEqual([...storage.items.keys()], [`coursepack:${COURSE}`]);
  const saved = JSON.parse(storage.items.get(`coursepack:${COURSE}`));
  assert.equal(saved.completion, "completed");
  assert.equal(saved.success, "passed");
  assert.equal(saved.progress, 0.5);
  assert.deepEqual(saved.score, { raw: 3, min: 0, max: 4, scaled: 0.75 });

  const again = createAdapter({ storage, courseId: COURSE }).start();
  assert.equal(again.entry, "resume");
  assert.equal(again.bookmark, "page-3");
  assert.equal(again.state, '1{"seen":[0,1,2]}');
  assert.equal(createAdapter({ storage, courseId: "https://example.org/other" }).start().entry,
    "ab-initio");
});

test("nothing is written after finish or before start", () => {
  const storage = memoryStorage();
  const lms = createAdapter({ storage, courseId: COURSE });
  lms.setBookmark("too early");
  assert.equal(storage.items.size, 0);
  lms.start();
  lms.setBookmark("p1");
  lms.finish();
  lms.setBookmark("too late");
  assert.equal(JSON.parse(storage.items.get(`coursepack:${COURSE}`)).bookmark, "p1");
});

test("uses win.localStorage by default", () => {
  const localStorage = memoryStorage();
  const lms = createAdapter({ win: { localStorage }, courseId: COURSE });
  lms.start();
  lms.saveState("1{}");
  assert.equal(JSON.parse(localStorage.items.get(`coursepack:${COURSE}`)).state, "1{}");
});

test("works in memory when localStorage cannot be read", () => {
  const win = {};
  Object.defineProperty(win, "localStorage", {
    get() {
      throw new Error("SecurityError: The operation is insecure.");
    },
  });
  const lms = createAdapter({ win, courseId: COURSE });
  assert.equal(lms.start().entry, "ab-initio");
  assert.doesNotThrow(() => {
    lms.setBookmark("p2");
    lms.commit();
    lms.finish();
  });
  assert.equal(createAdapter({ win: undefined, storage: null }).start().entry, "ab-initio");
});

test("write failures and corrupt records are logged, not thrown", () => {
  const lms = createAdapter({ storage: memoryStorage({ failWrites: true }), courseId: COURSE });
  lms.start();
  lms.setBookmark("p1");
  assert.equal(lms.errors.at(-1).call, "setItem");
  assert.match(lms.errors.at(-1).message, /Quota/);

  const storage = memoryStorage();
  storage.items.set(`coursepack:${COURSE}`, "{not json");
  const broken = createAdapter({ storage, courseId: COURSE });
  assert.equal(broken.start().entry, "ab-initio");
  assert.equal(broken.errors[0].call, "getItem");

  storage.items.set(`coursepack:${COURSE}`, JSON.stringify({ bookmark: 7, state: "1{}" }));
  const odd = createAdapter({ storage, courseId: COURSE }).start();
  assert.equal(odd.bookmark, "");
  assert.equal(odd.state, "1{}");
});

test("connect keeps a connected SCORM adapter", async () => {
  const api = {
    LMSInitialize: () => "true",
    LMSGetValue: () => "incomplete",
    LMSSetValue: () => "true",
    LMSGetLastError: () => "0",
  };
  const options = { win: { API: api }, now: () => 0, storage: memoryStorage(), courseId: COURSE };
  const { lms, info } = await connect(createScorm12, options, createAdapter);
  assert.equal(lms.recordInteraction === undefined, false);
  assert.equal(info.connected, true);
  assert.equal(typeof lms.seedInteractions, "function");
});

test("connect falls back to web storage when no LMS is found", async () => {
  const storage = memoryStorage();
  storage.items.set(`coursepack:${COURSE}`, JSON.stringify({ bookmark: "page-9" }));
  for (const create of [createScorm12, createScorm2004]) {
    const options = { win: { parent: null }, now: () => 0, storage, courseId: COURSE };
    const { info } = await connect(create, options, createAdapter);
    assert.deepEqual([info.connected, info.entry, info.bookmark], [false, "resume", "page-9"]);
  }
});

test("connect waits for an adapter whose start() is asynchronous (cmi5 fetches first)", async () => {
  const slow = () => ({
    ...offlineAdapter(),
    start: () => new Promise((resolve) => setTimeout(() => resolve({ connected: true, entry: "" }), 5)),
  });
  const { info } = await connect(slow, {}, createAdapter);
  assert.equal(info.connected, true);
});

test("every adapter has the whole interface; a partial one is refused", async () => {
  for (const create of [createScorm12, createScorm2004, createAdapter]) {
    assert.equal(isAdapter(create({ win: { parent: null }, now: () => 0, storage: memoryStorage() })), true);
  }
  await assert.rejects(connect(() => ({ start: () => ({}) }), {}), /lacks part of the interface/);
});

const CHOICE = {
  scormId: "m1_post-test_q1", iri: "https://example.org/courses/intro/m1/post-test/q1", type: "choice",
  choices: [{ id: "a", text: "A" }, { id: "b", text: "B" }], weighting: 1,
  correct: { scorm12: ["b"], scorm2004: ["b"], xapi: ["b"] },
};

test("answers and module objectives are kept in the record and come back on resume", () => {
  const storage = memoryStorage();
  const first = createAdapter({ storage, courseId: COURSE });
  first.start();
  first.recordInteraction({ interaction: CHOICE, response: ["a", "b"], correct: false, latencyMs: 1200, timestamp: Date.UTC(2024, 0, 2, 3, 4, 5) });
  first.setObjective({ scormId: "m1", iri: "o1", raw: 3, min: 0, max: 4, success: false, completion: true });
  first.setObjective({ scormId: "m1", iri: "o1", raw: 4, min: 0, max: 4, success: true, completion: true });
  const saved = JSON.parse(storage.items.get(`coursepack:${COURSE}`));
  assert.deepEqual(saved.interactions, [{
    id: CHOICE.iri, type: "choice", response: "a[,]b", correct: false, latencyMs: 1200,
    timestamp: "2024-01-02T03:04:05.000Z",
  }]);
  assert.deepEqual(saved.objectives, {
    o1: { scaled: null, raw: 4, min: 0, max: 4, success: true, completion: true },
  });
  const again = createAdapter({ storage, courseId: COURSE });
  again.start();
  again.recordInteraction({ interaction: CHOICE, response: ["b"], correct: true, timestamp: "nonsense" });
  const resumed = JSON.parse(storage.items.get(`coursepack:${COURSE}`));
  assert.equal(resumed.interactions.length, 2);
  assert.deepEqual(resumed.interactions[1], {
    id: CHOICE.iri, type: "choice", response: "b", correct: true, latencyMs: null, timestamp: null,
  });
  assert.deepEqual(resumed.objectives, saved.objectives);
});

test("only the newest 200 answers are kept, and a malformed stored list is cleaned", () => {
  const storage = memoryStorage();
  storage.setItem(`coursepack:${COURSE}`, JSON.stringify({ interactions: [1, "x", null, { id: "old" }], objectives: [] }));
  const lms = createAdapter({ storage, courseId: COURSE });
  lms.start();
  for (let i = 0; i < 205; i += 1) {
    lms.recordInteraction({ interaction: CHOICE, response: [i % 2 ? "a" : "b"], correct: i % 2 === 0, timestamp: 0 });
  }
  const saved = JSON.parse(storage.items.get(`coursepack:${COURSE}`));
  assert.equal(saved.interactions.length, 200);
  assert.equal(saved.interactions[0].response, "a"); // answer #5 (odd): the first six went
  assert.equal(saved.interactions.at(-1).response, "b");
  assert.ok(saved.interactions.every((entry) => entry.id === CHOICE.iri));
  assert.deepEqual(saved.objectives, {});
});

test("only browser-storage adapters say a reload reopens the session", () => {
  assert.equal(createAdapter({ storage: memoryStorage(), courseId: COURSE }).reopens, true);
  const win = { API: null, API_1484_11: null };
  assert.notEqual(createScorm12({ win }).reopens, true);
  assert.notEqual(createScorm2004({ win }).reopens, true);
  assert.notEqual(offlineAdapter().reopens, true);
});
