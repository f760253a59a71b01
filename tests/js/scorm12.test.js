import { test } from "node:test";
import assert from "node:assert/strict";
import { Scorm12API } from "scorm-again";
import { createAdapter } from "../../templates/runtime/lms/scorm12.js";

/** A SCORM 1.2 API that records every call except the error queries. */
function fakeApi(data = {}, { reject = {}, initialize = "true" } = {}) {
  const calls = [];
  let lastError = "0";
  return {
    calls,
    data,
    LMSInitialize: (arg) => (calls.push(["LMSInitialize", arg]), initialize),
    LMSGetValue: (key) => (calls.push(["LMSGetValue", key]), (lastError = "0"), data[key] ?? ""),
    LMSSetValue(key, value) {
      calls.push(["LMSSetValue", key, value]);
      lastError = reject[key] ?? "0";
      if (lastError !== "0") return "false";
      data[key] = value;
      return "true";
    },
    LMSCommit: (arg) => (calls.push(["LMSCommit", arg]), "true"),
    LMSFinish: (arg) => (calls.push(["LMSFinish", arg]), "true"),
    LMSGetLastError: () => lastError,
    LMSGetErrorString: (code) => `error ${code}`,
  };
}

const sets = (api) => api.calls.filter(([name]) => name === "LMSSetValue");
const clock = (...times) => () => times.shift();

test("without an API start() reports not connected and every method is a no-op", () => {
  const lms = createAdapter({ win: { parent: null }, now: () => 0 });
  const info = lms.start();
  assert.deepEqual({ ...info }, {
    connected: false, entry: "", bookmark: "", state: "", masteryScore: null, learnerId: null,
    learnerName: null,
  });
  lms.setBookmark("p1");
  lms.setProgress(0.5);
  lms.setScore({ raw: 1, max: 2 });
  lms.complete();
  lms.pass();
  lms.fail();
  lms.incomplete();
  lms.saveState("1{}");
  lms.commit();
  lms.finish({ suspend: true });
  assert.deepEqual(lms.errors, []);
});

test("first launch: reads the learner and writes nothing until told; incomplete() marks it", () => {
  const api = fakeApi({
    "cmi.core.entry": "ab-initio",
    "cmi.core.lesson_status": "not attempted",
    "cmi.student_data.mastery_score": "80",
    "cmi.core.student_id": "u7",
    "cmi.core.student_name": "Doe, Jane",
  });
  const lms = createAdapter({ win: { API: api }, now: () => 0 });
  const info = lms.start();
  assert.deepEqual({ ...info }, {
    connected: true, entry: "ab-initio", bookmark: "", state: "", masteryScore: 80, learnerId: "u7",
    learnerName: "Doe, Jane",
  });
  assert.deepEqual(api.calls[0], ["LMSInitialize", ""]);
  assert.deepEqual(sets(api), []);
  lms.incomplete();
  lms.incomplete();
  assert.deepEqual(sets(api), [["LMSSetValue", "cmi.core.lesson_status", "incomplete"]]);
});

test("resume: bookmark and state come back; status is left alone", () => {
  const api = fakeApi({
    "cmi.core.entry": "resume",
    "cmi.core.lesson_status": "passed",
    "cmi.core.lesson_location": "page-4",
    "cmi.suspend_data": '1{"seen":[1]}',
  });
  const info = createAdapter({ win: { API: api }, now: () => 0 }).start();
  assert.equal(info.entry, "resume");
  assert.equal(info.bookmark, "page-4");
  assert.equal(info.state, '1{"seen":[1]}');
  assert.equal(info.masteryScore, null);
  assert.equal(info.learnerId, null);
  assert.deepEqual(sets(api), []);
});

test("mastery score: a number 0-100 or null", () => {
  for (const [text, expected] of [["", null], [" ", null], ["abc", null], ["120", null], ["0", 0], ["72.5", 72.5]]) {
    const api = fakeApi({ "cmi.student_data.mastery_score": text });
    assert.equal(createAdapter({ win: { API: api } }).start().masteryScore, expected, text);
  }
});

test("passed and failed win over completed; pass after complete sets passed", () => {
  const api = fakeApi({ "cmi.core.lesson_status": "incomplete" });
  const lms = createAdapter({ win: { API: api }, now: () => 0 });
  lms.start();
  lms.complete();
  lms.pass();
  lms.complete();
  lms.incomplete();
  assert.equal(api.data["cmi.core.lesson_status"], "passed");
  lms.fail();
  lms.complete();
  assert.equal(api.data["cmi.core.lesson_status"], "failed");
  const statuses = sets(api).map(([, , value]) => value);
  assert.deepEqual(statuses, ["completed", "passed", "failed"]);
  assert.ok(!statuses.includes("not attempted"));
});

test("bookmark is cut to 255 characters; score is written as a percentage", () => {
  const api = fakeApi({ "cmi.core.lesson_status": "incomplete" });
  const lms = createAdapter({ win: { API: api }, now: () => 0 });
  lms.start();
  lms.setBookmark("x".repeat(300));
  assert.equal(api.data["cmi.core.lesson_location"].length, 255);
  lms.setScore({ raw: 2, min: 0, max: 3 });
  assert.equal(api.data["cmi.core.score.raw"], "66.67");
  lms.setScore({ raw: 7, min: 0, max: 10, scaled: 0.7 });
  assert.equal(api.data["cmi.core.score.raw"], "70");
  assert.equal(api.data["cmi.core.score.min"], "0");
  assert.equal(api.data["cmi.core.score.max"], "100");
  lms.saveState('1{"a":1}');
  assert.equal(api.data["cmi.suspend_data"], '1{"a":1}');
});

test("finish writes session time and exit, commits, finishes, once", () => {
  const api = fakeApi({ "cmi.core.lesson_status": "incomplete" });
  const lms = createAdapter({ win: { API: api }, now: clock(1000, 1000 + 3723450) });
  lms.start();
  api.calls.length = 0;
  lms.finish();
  assert.deepEqual(api.calls, [
    ["LMSSetValue", "cmi.core.session_time", "0001:02:03.45"],
    ["LMSSetValue", "cmi.core.exit", "suspend"],
    ["LMSCommit", ""],
    ["LMSFinish", ""],
  ]);
  lms.finish();
  lms.setBookmark("late");
  lms.commit();
  assert.equal(api.calls.length, 4);
});

test("exit is empty once the course is finished, unless suspend is asked for", () => {
  for (const [verb, options, exit] of [["pass", undefined, ""], ["complete", {}, ""], ["fail", { suspend: true }, "suspend"]]) {
    const api = fakeApi({ "cmi.core.lesson_status": "incomplete" });
    const lms = createAdapter({ win: { API: api }, now: () => 0 });
    lms.start();
    lms[verb]();
    lms.finish(options);
    assert.equal(api.data["cmi.core.exit"], exit, verb);
  }
});

test("LMS errors are logged, not thrown, and the log stays small", () => {
  const api = fakeApi({ "cmi.core.lesson_status": "incomplete" }, { reject: { "cmi.core.lesson_location": "405" } });
  api.LMSCommit = () => {
    throw new Error("LMS went away");
  };
  const lms = createAdapter({ win: { API: api }, now: () => 0 });
  lms.start();
  lms.setBookmark("p2");
  lms.commit();
  assert.deepEqual(lms.errors, [
    { call: "LMSSetValue", element: "cmi.core.lesson_location", code: 405, message: "error 405" },
    { call: "LMSCommit", element: "", code: -1, message: "LMS went away" },
  ]);
  for (let i = 0; i < 50; i += 1) lms.setBookmark(`p${i}`);
  assert.equal(lms.errors.length, 20);
});

test("a failed LMSInitialize leaves the adapter disconnected", () => {
  const api = fakeApi({}, { initialize: "false" });
  const lms = createAdapter({ win: { API: api }, now: () => 0 });
  assert.equal(lms.start().connected, false);
  lms.complete();
  lms.finish();
  assert.deepEqual(api.calls, [["LMSInitialize", ""]]);
});

test("finds the API in a parent frame", () => {
  const api = fakeApi({ "cmi.core.lesson_status": "incomplete" });
  const top = { API: api };
  top.parent = top;
  assert.equal(createAdapter({ win: { parent: { parent: top } } }).start().connected, true);
});

// Against scorm-again, a real validating SCORM 1.2 runtime (no DOM needed in Node).

function realApi(json) {
  const api = new Scorm12API({ logLevel: 5 });
  if (json) api.loadFromJSON(json);
  const events = [];
  for (const name of ["LMSInitialize", "LMSCommit", "LMSFinish"]) api.on(name, () => events.push(name));
  return { api, events, cmi: () => api.renderCommitCMI(true).cmi };
}

test("scorm-again: a whole first session that passes", () => {
  const { api, events, cmi } = realApi();
  const lms = createAdapter({ win: { API: api }, now: clock(0, 3723450) });
  const info = lms.start();
  assert.equal(info.connected, true);
  lms.incomplete();
  assert.equal(api.cmi.core.lesson_status, "incomplete");
  lms.setBookmark("page-3");
  lms.saveState('1{"seen":[0,1,2]}');
  lms.setScore({ raw: 9, min: 0, max: 10, scaled: 0.9 });
  lms.complete();
  lms.pass();
  lms.complete();
  lms.commit();
  lms.finish();
  const data = cmi();
  assert.equal(data.core.lesson_status, "passed");
  assert.equal(data.core.lesson_location, "page-3");
  assert.equal(data.suspend_data, '1{"seen":[0,1,2]}');
  assert.deepEqual(data.core.score, { raw: "90", min: "0", max: "100" });
  assert.equal(data.core.exit, "");
  assert.match(data.core.session_time, /^0*1:02:03\.45?$/);
  assert.deepEqual(events, ["LMSInitialize", "LMSCommit", "LMSCommit", "LMSFinish"]);
  assert.deepEqual(lms.errors, []);
  lms.finish();
  assert.equal(events.length, 4);
});

test("scorm-again: resume reads the stored attempt and suspends", () => {
  const { api, cmi } = realApi({
    core: { entry: "resume", lesson_location: "page-2", lesson_status: "incomplete", student_id: "u1" },
    suspend_data: '1{"seen":[0]}',
    student_data: { mastery_score: "80" },
  });
  const lms = createAdapter({ win: { API: api }, now: () => 0 });
  const info = lms.start();
  assert.deepEqual({ ...info }, {
    connected: true, entry: "resume", bookmark: "page-2", state: '1{"seen":[0]}',
    masteryScore: 80, learnerId: "u1", learnerName: null,
  });
  lms.finish();
  assert.equal(cmi().core.exit, "suspend");
  assert.equal(cmi().core.lesson_status, "incomplete");
  assert.deepEqual(lms.errors, []);
});

test("scorm-again: a second LMSInitialize is refused and logged", () => {
  const { api } = realApi();
  api.LMSInitialize("");
  const lms = createAdapter({ win: { API: api }, now: () => 0 });
  assert.equal(lms.start().connected, false);
  assert.equal(lms.errors.length, 1);
  assert.equal(lms.errors[0].call, "LMSInitialize");
  assert.equal(lms.errors[0].code, 101);
});

test("a call that returns false without an error code is logged too", () => {
  const api = fakeApi({ "cmi.core.lesson_status": "incomplete" });
  api.LMSFinish = () => "false";
  const lms = createAdapter({ win: { API: api }, now: () => 0 });
  lms.start();
  lms.finish();
  assert.deepEqual(lms.errors, [{ call: "LMSFinish", element: "", code: 0, message: "returned false" }]);
});

// Interactions and objectives (descriptions as builder/interactions.py writes them).

const TRUE_FALSE = {
  scormId: "m1_post-test_q1", iri: "https://example.org/c/m1/post-test/q1", type: "true-false",
  description: "Is it?", weighting: 2, objective: { scormId: "m1", iri: "https://example.org/c/m1#objective" },
  correct: { scorm12: ["t"], scorm2004: ["true"], xapi: ["true"] },
};

test("recordInteraction appends at cmi.interactions._count in the 1.2 order", () => {
  const api = fakeApi({ "cmi.core.lesson_status": "incomplete", "cmi.interactions._count": "3" });
  const lms = createAdapter({ win: { API: api }, now: () => 0 });
  lms.start();
  const timestamp = new Date(2024, 5, 1, 9, 8, 7).getTime();
  lms.recordInteraction({ interaction: TRUE_FALSE, response: ["false"], correct: false, latencyMs: 61000, timestamp });
  assert.deepEqual(sets(api).map(([, element, value]) => [element, value]), [
    ["cmi.interactions.3.id", "m1_post-test_q1"],
    ["cmi.interactions.3.objectives.0.id", "m1"],
    ["cmi.interactions.3.time", "09:08:07"],
    ["cmi.interactions.3.type", "true-false"],
    ["cmi.interactions.3.correct_responses.0.pattern", "t"],
    ["cmi.interactions.3.weighting", "2"],
    ["cmi.interactions.3.student_response", "f"],
    ["cmi.interactions.3.result", "wrong"],
    ["cmi.interactions.3.latency", "0000:01:01.00"],
  ]);
  assert.deepEqual(lms.errors, []);
});

test("recordInteraction stops when the LMS refuses the new entry's id", () => {
  const api = fakeApi({ "cmi.core.lesson_status": "incomplete" }, { reject: { "cmi.interactions.0.id": "201" } });
  const lms = createAdapter({ win: { API: api }, now: () => 0 });
  lms.start();
  lms.recordInteraction({ interaction: TRUE_FALSE, response: ["true"], correct: true });
  assert.deepEqual(sets(api).map(([, element]) => element), ["cmi.interactions.0.id"]);
  assert.equal(lms.errors.length, 1);
  assert.equal(lms.errors[0].code, 201);
});

test("setObjective finds the module's entry by id, else appends one", () => {
  const api = fakeApi({
    "cmi.core.lesson_status": "incomplete",
    "cmi.objectives._count": "2", "cmi.objectives.0.id": "intro", "cmi.objectives.1.id": "m1",
  });
  const lms = createAdapter({ win: { API: api }, now: () => 0 });
  lms.start();
  lms.setObjective({ scormId: "m1", iri: "x", raw: 1, max: 4, completion: true });
  lms.setObjective({ scormId: "m9", iri: "y", success: null, completion: null });
  assert.deepEqual(sets(api).map(([, element, value]) => [element, value]), [
    ["cmi.objectives.1.score.raw", "25"],
    ["cmi.objectives.1.score.min", "0"],
    ["cmi.objectives.1.score.max", "100"],
    ["cmi.objectives.1.status", "completed"],
    ["cmi.objectives.2.id", "m9"],
  ]);
});

test("without an LMS, recordInteraction and setObjective do nothing", () => {
  const lms = createAdapter({ win: { parent: null }, now: () => 0 });
  lms.start();
  lms.recordInteraction({ interaction: TRUE_FALSE, response: ["true"], correct: true });
  lms.setObjective({ scormId: "m1", scaled: 1, success: true });
  assert.deepEqual(lms.errors, []);
});

test("commit and finish say whether the LMS saved: false when it refuses (a session expired)", () => {
  const api = fakeApi();
  let refusing = false;
  const answer = (name) => (arg) => {
    api.calls.push([name, arg]);
    return refusing ? "false" : "true";
  };
  Object.assign(api, { LMSCommit: answer("LMSCommit"), LMSFinish: answer("LMSFinish") });
  const errorOf = api.LMSGetLastError;
  api.LMSGetLastError = () => (refusing ? "101" : errorOf());
  const lms = createAdapter({ win: { API: api }, now: () => 0 });
  lms.start();
  assert.equal(lms.commit(), true);
  refusing = true;
  assert.equal(lms.commit(), false);
  assert.deepEqual(lms.errors.at(-1), {
    call: "LMSCommit", element: "", code: 101, message: "error 101",
  });
  refusing = false;
  assert.equal(lms.commit(), true);
  refusing = true;
  assert.equal(lms.finish(), false);
  // Finished: nothing more reaches the LMS, and there is nothing to refuse.
  assert.equal(lms.commit(), undefined);
  assert.equal(lms.finish(), undefined);
  const fine = createAdapter({ win: { API: fakeApi() }, now: () => 0 });
  fine.start();
  assert.equal(fine.finish(), true);
  // Without an LMS nothing is refused either.
  const none = createAdapter({ win: { parent: null }, now: () => 0 });
  none.start();
  assert.deepEqual([none.commit(), none.finish()], [undefined, undefined]);
});

test("an LMS that answers a commit with nothing, and no error, is taken at its word", () => {
  const api = fakeApi();
  api.LMSCommit = () => undefined;
  const lms = createAdapter({ win: { API: api }, now: () => 0 });
  lms.start();
  assert.equal(lms.commit(), true);
  api.LMSCommit = () => {
    throw new Error("the LMS's own bug");
  };
  assert.equal(lms.commit(), false);
});
