import { test } from "node:test";
import assert from "node:assert/strict";
import { Scorm2004API } from "scorm-again";
import { createAdapter } from "../../templates/runtime/lms/scorm2004.js";

/** A SCORM 2004 API that records every call except the error queries. */
function fakeApi(data = {}, { reject = {} } = {}) {
  const calls = [];
  let lastError = "0";
  const ok = (name) => (arg) => (calls.push([name, arg]), (lastError = "0"), "true");
  return {
    calls,
    data,
    Initialize: ok("Initialize"),
    Commit: ok("Commit"),
    Terminate: ok("Terminate"),
    GetValue(key) {
      calls.push(["GetValue", key]);
      lastError = key in data ? "0" : "403"; // 2004: value not initialized
      return data[key] ?? "";
    },
    SetValue(key, value) {
      calls.push(["SetValue", key, value]);
      lastError = reject[key] ?? "0";
      if (lastError !== "0") return "false";
      data[key] = value;
      return "true";
    },
    GetLastError: () => lastError,
    GetErrorString: (code) => `error ${code}`,
  };
}

const sets = (api) => api.calls.filter(([name]) => name === "SetValue");
const clock = (...times) => () => times.shift();

test("without an API start() reports not connected and every method is a no-op", () => {
  const lms = createAdapter({ win: {}, now: () => 0 });
  const info = lms.start();
  assert.equal(info.connected, false);
  assert.equal(info.masteryScore, null);
  for (const verb of ["setBookmark", "setProgress", "setScore", "complete", "pass", "fail",
    "incomplete", "saveState", "commit", "finish"]) {
    assert.doesNotThrow(() => lms[verb](), verb);
  }
  assert.deepEqual(lms.errors, []);
});

test("first launch: entry, learner, mastery; nothing written until incomplete() marks it", () => {
  const api = fakeApi({
    "cmi.entry": "ab-initio",
    "cmi.learner_id": "u9",
    "cmi.learner_name": "Doe, Jane",
    "cmi.completion_status": "unknown",
    "cmi.scaled_passing_score": "0.8",
  });
  const lms = createAdapter({ win: { API_1484_11: api }, now: () => 0 });
  assert.deepEqual({ ...lms.start() }, {
    connected: true, entry: "ab-initio", bookmark: "", state: "", masteryScore: 80, learnerId: "u9",
    learnerName: "Doe, Jane",
  });
  assert.deepEqual(sets(api), []);
  lms.incomplete();
  lms.incomplete();
  assert.deepEqual(sets(api), [["SetValue", "cmi.completion_status", "incomplete"]]);
  // 403 (value not initialized) on cmi.location and cmi.suspend_data is normal on a first launch.
  assert.deepEqual(lms.errors, []);
});

test("mastery score: scaled -1..1 becomes 0-100; empty or out of range is null", () => {
  const cases = [[undefined, null], ["", null], ["x", null], ["1.5", null], ["0.75", 75],
    ["1", 100], ["0", 0], ["-0.5", 0], ["0.333", 33.3]];
  for (const [text, expected] of cases) {
    const data = text === undefined ? {} : { "cmi.scaled_passing_score": text };
    const api = fakeApi(data);
    assert.equal(createAdapter({ win: { API_1484_11: api } }).start().masteryScore, expected, text);
  }
});

test("bookmark, progress, score and state go to their 2004 elements", () => {
  const api = fakeApi({ "cmi.completion_status": "incomplete" });
  const lms = createAdapter({ win: { API_1484_11: api }, now: () => 0 });
  lms.start();
  lms.setBookmark("y".repeat(1200));
  assert.equal(api.data["cmi.location"].length, 1000);
  lms.setProgress(2 / 3);
  assert.equal(api.data["cmi.progress_measure"], "0.6667");
  lms.setProgress(7);
  assert.equal(api.data["cmi.progress_measure"], "1");
  lms.setScore({ raw: 7, min: 0, max: 10 });
  assert.equal(api.data["cmi.score.scaled"], "0.7");
  assert.deepEqual(
    ["raw", "min", "max"].map((k) => api.data[`cmi.score.${k}`]), ["7", "0", "10"]);
  lms.setScore({ scaled: 0.85 });
  assert.deepEqual(
    ["scaled", "raw", "min", "max"].map((k) => api.data[`cmi.score.${k}`]), ["0.85", "85", "0", "100"]);
  lms.saveState("1{}");
  assert.equal(api.data["cmi.suspend_data"], "1{}");
});

test("completion and success are separate; complete is never undone", () => {
  const api = fakeApi({ "cmi.completion_status": "incomplete" });
  const lms = createAdapter({ win: { API_1484_11: api }, now: () => 0 });
  lms.start();
  lms.fail();
  lms.complete();
  lms.incomplete();
  lms.pass();
  assert.equal(api.data["cmi.completion_status"], "completed");
  assert.equal(api.data["cmi.success_status"], "passed");
  assert.deepEqual(sets(api).map(([, k, v]) => `${k}=${v}`), [
    "cmi.success_status=failed", "cmi.completion_status=completed", "cmi.success_status=passed",
  ]);
});

test("finish sets session time and exit then Terminates, with no Commit before it", () => {
  const api = fakeApi({ "cmi.completion_status": "incomplete" });
  const lms = createAdapter({ win: { API_1484_11: api }, now: clock(500, 500 + 3723450) });
  lms.start();
  lms.commit();
  api.calls.length = 0;
  lms.finish();
  assert.deepEqual(api.calls, [
    ["SetValue", "cmi.session_time", "PT1H2M3.45S"],
    ["SetValue", "cmi.exit", "suspend"],
    ["Terminate", ""],
  ]);
  lms.finish();
  lms.commit();
  assert.equal(api.calls.length, 3);
});

test("exit is normal once completed, unless suspend is asked for", () => {
  for (const [options, exit] of [[undefined, "normal"], [{ suspend: true }, "suspend"]]) {
    const api = fakeApi({ "cmi.completion_status": "incomplete" });
    const lms = createAdapter({ win: { API_1484_11: api }, now: () => 0 });
    lms.start();
    lms.complete();
    lms.finish(options);
    assert.equal(api.data["cmi.exit"], exit);
    assert.equal(api.data["cmi.session_time"], "PT0S");
  }
});

test("LMS errors are logged with their code and message, not thrown", () => {
  const api = fakeApi({ "cmi.completion_status": "incomplete" }, { reject: { "cmi.progress_measure": "407" } });
  const lms = createAdapter({ win: { API_1484_11: api }, now: () => 0 });
  lms.start();
  lms.setProgress(0.5);
  api.Terminate = () => "false";
  lms.finish();
  assert.deepEqual(lms.errors, [
    { call: "SetValue", element: "cmi.progress_measure", code: 407, message: "error 407" },
    { call: "Terminate", element: "", code: 0, message: "returned false" },
  ]);
});

// Against scorm-again, a real validating SCORM 2004 runtime (no DOM needed in Node).

function realApi(json) {
  const api = new Scorm2004API({ logLevel: 5 });
  if (json) api.loadFromJSON(json);
  const events = [];
  for (const name of ["Initialize", "Commit", "Terminate"]) api.on(name, () => events.push(name));
  return { api, events, cmi: () => api.renderCommitCMI(true).cmi };
}

test("scorm-again: a whole first session that completes and passes", () => {
  const { api, events, cmi } = realApi();
  const lms = createAdapter({ win: { API_1484_11: api }, now: clock(0, 3723450) });
  const info = lms.start();
  assert.equal(info.connected, true);
  assert.equal(info.entry, "");
  lms.incomplete();
  assert.equal(api.cmi.completion_status, "incomplete");
  lms.setBookmark("page-5");
  lms.setProgress(1);
  lms.saveState('1{"seen":[0,1]}');
  lms.setScore({ raw: 8, min: 0, max: 10, scaled: 0.8 });
  lms.commit();
  lms.complete();
  lms.pass();
  lms.finish();
  const data = cmi();
  assert.equal(data.completion_status, "completed");
  assert.equal(data.success_status, "passed");
  assert.equal(data.location, "page-5");
  assert.equal(data.progress_measure, "1");
  assert.equal(data.suspend_data, '1{"seen":[0,1]}');
  assert.deepEqual(data.score, { scaled: "0.8", raw: "8", min: "0", max: "10" });
  assert.equal(data.session_time, "PT1H2M3.45S");
  assert.equal(data.exit, "normal");
  assert.deepEqual(events, ["Initialize", "Commit", "Terminate"]);
  assert.deepEqual(lms.errors, []);
});

test("scorm-again: resume reads the stored attempt and suspends on exit", () => {
  const { api, events, cmi } = realApi({
    entry: "resume", location: "page-2", suspend_data: '1{"seen":[0]}',
    completion_status: "incomplete", learner_id: "u1", scaled_passing_score: "0.8",
  });
  const lms = createAdapter({ win: { API_1484_11: api }, now: () => 0 });
  assert.deepEqual({ ...lms.start() }, {
    connected: true, entry: "resume", bookmark: "page-2", state: '1{"seen":[0]}',
    masteryScore: 80, learnerId: "u1", learnerName: null,
  });
  lms.finish();
  assert.equal(cmi().exit, "suspend");
  assert.equal(cmi().session_time, "PT0S");
  assert.deepEqual(events, ["Initialize", "Terminate"]);
  assert.deepEqual(lms.errors, []);
});

test("scorm-again: a value the runtime refuses is logged", () => {
  const { api } = realApi();
  const lms = createAdapter({ win: { API_1484_11: api }, now: () => 0 });
  lms.start();
  lms.setScore({ scaled: -3 }); // clamped to 0: valid
  assert.equal(api.cmi.score.scaled, "0");
  lms.saveState("x".repeat(64001)); // over the 64000 SPM
  assert.equal(lms.errors.length, 1);
  assert.equal(lms.errors[0].element, "cmi.suspend_data");
  assert.equal(lms.errors[0].code, 406);
});

// Interactions and objectives (descriptions as builder/interactions.py writes them).

const MATCHING = {
  scormId: "m1_post-test_q2", iri: "https://example.org/c/m1/post-test/q2", type: "matching",
  description: "Match them.", description2004: "Match them.", weighting: 1,
  objective: { scormId: "m1", iri: "https://example.org/c/m1#objective" },
  source: [{ id: "0", text: "barn" }, { id: "1", text: "lie" }],
  target: [{ id: "a", text: "Act" }, { id: "b", text: "Means" }],
  correct: { scorm12: ["0.a,1.b"], scorm2004: ["0[.]a[,]1[.]b"], xapi: ["0[.]a[,]1[.]b"] },
};

test("recordInteraction appends at cmi.interactions._count: id, then type, then the rest", () => {
  const api = fakeApi({ "cmi.completion_status": "incomplete", "cmi.interactions._count": "5" });
  const lms = createAdapter({ win: { API_1484_11: api }, now: () => 0 });
  lms.start();
  const timestamp = new Date(2024, 11, 31, 23, 59, 58).getTime();
  lms.recordInteraction({ interaction: MATCHING, response: ["b", "b"], correct: false, latencyMs: 3723450, timestamp });
  assert.deepEqual(sets(api).map(([, element, value]) => [element, value]), [
    ["cmi.interactions.5.id", "m1_post-test_q2"],
    ["cmi.interactions.5.type", "matching"],
    ["cmi.interactions.5.objectives.0.id", "m1"],
    ["cmi.interactions.5.timestamp", "2024-12-31T23:59:58"],
    ["cmi.interactions.5.correct_responses.0.pattern", "0[.]a[,]1[.]b"],
    ["cmi.interactions.5.weighting", "1"],
    ["cmi.interactions.5.learner_response", "0[.]b[,]1[.]b"],
    ["cmi.interactions.5.result", "incorrect"],
    ["cmi.interactions.5.latency", "PT1H2M3.45S"],
    ["cmi.interactions.5.description", "Match them."],
  ]);
  assert.deepEqual(lms.errors, []);
});

test("recordInteraction stops when the LMS refuses the new entry's id", () => {
  const api = fakeApi({ "cmi.completion_status": "incomplete" }, { reject: { "cmi.interactions.0.id": "406" } });
  const lms = createAdapter({ win: { API_1484_11: api }, now: () => 0 });
  lms.start();
  lms.recordInteraction({ interaction: MATCHING, response: ["a", "b"], correct: true });
  assert.deepEqual(sets(api).map(([, element]) => element), ["cmi.interactions.0.id"]);
  assert.equal(lms.errors[0].code, 406);
});

test("setObjective finds the module's entry by id, else appends one", () => {
  const api = fakeApi({
    "cmi.completion_status": "incomplete",
    "cmi.objectives._count": "1", "cmi.objectives.0.id": "CP-primary",
  });
  const lms = createAdapter({ win: { API_1484_11: api }, now: () => 0 });
  lms.start();
  lms.setObjective({ scormId: "m1", iri: MATCHING.objective.iri, scaled: 0.75, success: true, completion: true });
  assert.deepEqual(sets(api).map(([, element, value]) => [element, value]), [
    ["cmi.objectives.1.id", "m1"],
    ["cmi.objectives.1.score.scaled", "0.75"],
    ["cmi.objectives.1.score.raw", "75"],
    ["cmi.objectives.1.score.min", "0"],
    ["cmi.objectives.1.score.max", "100"],
    ["cmi.objectives.1.success_status", "passed"],
    ["cmi.objectives.1.completion_status", "completed"],
  ]);
  assert.deepEqual(lms.errors, []);
});

test("after finish, recordInteraction and setObjective do nothing", () => {
  const api = fakeApi({ "cmi.completion_status": "completed" });
  const lms = createAdapter({ win: { API_1484_11: api }, now: () => 0 });
  lms.start();
  lms.finish();
  const before = api.calls.length;
  lms.recordInteraction({ interaction: MATCHING, response: ["a", "b"], correct: true });
  lms.setObjective({ scormId: "x", scaled: 1 });
  assert.equal(api.calls.length, before);
});

test("Commit and Terminate say whether the LMS saved: false when it refuses", () => {
  const api = fakeApi();
  let refusing = false;
  const answer = (name) => (arg) => {
    api.calls.push([name, arg]);
    return refusing ? "false" : "true";
  };
  Object.assign(api, { Commit: answer("Commit"), Terminate: answer("Terminate") });
  const lms = createAdapter({ win: { API_1484_11: api }, now: () => 0 });
  lms.start();
  api.GetLastError = () => (refusing ? "391" : "0");
  assert.equal(lms.commit(), true);
  refusing = true;
  assert.equal(lms.commit(), false);
  assert.equal(lms.errors.at(-1).code, 391);
  assert.equal(lms.finish(), false);
  assert.equal(lms.commit(), undefined);
  const fine = createAdapter({ win: { API_1484_11: fakeApi() }, now: () => 0 });
  fine.start();
  assert.equal(fine.finish(), true);
});
