// "Never trust an empty read" (docs/lms.md): an LMS that answers every GetValue with "" (Open
// edX's SCORM XBlock does) must not make the package overwrite interactions, restart at page 1,
// downgrade a status or report a partial score. One test per rule, against a fake API of each
// standard that accepts every SetValue and answers "" to every GetValue.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createAdapter as create12 } from "../../templates/runtime/lms/scorm12.js";
import { createAdapter as create2004 } from "../../templates/runtime/lms/scorm2004.js";
import { interactionsWritten, recordsInteractions } from "../../templates/runtime/util/answers.js";
import { launchPlan, reportCalls } from "../../templates/runtime/util/report.js";

/** An API of `standard` whose reads all answer "" and whose writes all succeed. */
function emptyApi(standard) {
  const names = standard === "scorm12"
    ? ["LMSInitialize", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSFinish",
      "LMSGetLastError", "LMSGetErrorString"]
    : ["Initialize", "GetValue", "SetValue", "Commit", "Terminate", "GetLastError",
      "GetErrorString"];
  const [init, get, set, commit, finish, lastError, errorString] = names;
  const api = { sets: [], stored: {} };
  api[init] = () => "true";
  api[get] = () => "";
  api[set] = (element, value) => {
    api.sets.push([element, value]);
    api.stored[element] = value;
    return "true";
  };
  api[commit] = () => "true";
  api[finish] = () => "true";
  api[lastError] = () => "0";
  api[errorString] = () => "";
  return api;
}

const STANDARDS = [
  ["scorm12", create12, "API"],
  ["scorm2004", create2004, "API_1484_11"],
];

function open(standard, create, apiName) {
  const api = emptyApi(standard);
  const lms = create({ win: { [apiName]: api }, now: () => 0 });
  const info = lms.start();
  return { api, lms, info };
}

const QUESTION = {
  scormId: "m1_post-test_q1", iri: "https://example.org/c/m1/post-test/q1", type: "true-false",
  description: "Is it?", description2004: "Is it?", weighting: 1,
  objective: { scormId: "m1", iri: "https://example.org/c/m1#objective" },
  correct: { scorm12: ["t"], scorm2004: ["true"], xapi: ["true"] },
};
const ids = (api) => api.sets.filter(([e]) => /^cmi\.interactions\.\d+\.id$/.test(e)).map(([e]) => e);

for (const [standard, create, apiName] of STANDARDS) {
  test(`${standard}: _count reads "": interactions go at our own count, one index each`, () => {
    const { api, lms } = open(standard, create, apiName);
    for (let i = 0; i < 3; i += 1) {
      lms.recordInteraction({ interaction: QUESTION, response: ["true"], correct: true });
    }
    assert.deepEqual(ids(api), [0, 1, 2].map((n) => `cmi.interactions.${n}.id`));
    assert.deepEqual(lms.errors, []);
  });

  test(`${standard}: _count reads "" after a relaunch: appends after the seeded count`, () => {
    const { api, lms } = open(standard, create, apiName);
    lms.seedInteractions(8);
    lms.recordInteraction({ interaction: QUESTION, response: ["false"], correct: false });
    assert.deepEqual(ids(api), ["cmi.interactions.8.id"]);
  });

  test(`${standard}: objectives._count reads "": each module keeps its fixed index`, () => {
    const { api, lms } = open(standard, create, apiName);
    lms.setObjective({ scormId: "m2", index: 1, scaled: 0.5, success: false, completion: true });
    lms.setObjective({ scormId: "m1", index: 0, scaled: 1, success: true, completion: true });
    lms.setObjective({ scormId: "m2", index: 1, scaled: 1, success: true, completion: true });
    const written = api.sets.filter(([e]) => /^cmi\.objectives\.\d+\.id$/.test(e));
    assert.deepEqual(written, [
      ["cmi.objectives.1.id", "m2"], ["cmi.objectives.0.id", "m1"], ["cmi.objectives.1.id", "m2"],
    ]);
  });

  test(`${standard}: status reads "": start() writes nothing, and a decided status stays`, () => {
    const { api, lms } = open(standard, create, apiName);
    assert.deepEqual(api.sets, []);
    // The learner's state says passed and complete: the first report re-reports exactly that.
    const status = { score: 90, success: "passed", complete: true };
    for (const [verb, arg] of reportCalls(null, status)) lms[verb](arg);
    const statuses = api.sets.filter(([e]) => /lesson_status|completion_status|success_status/.test(e));
    const values = statuses.map(([, v]) => v);
    assert.ok(!values.includes("incomplete"), `downgraded: ${JSON.stringify(statuses)}`);
    assert.ok(!values.includes("failed"), JSON.stringify(statuses));
    assert.ok(values.includes("passed"), JSON.stringify(statuses));
  });

  test(`${standard}: a score out of range or not a number is never written`, () => {
    const { api, lms } = open(standard, create, apiName);
    lms.setScore({ raw: Number.NaN, min: 0, max: 100 });
    assert.deepEqual(api.sets, []);
    for (const [verb, arg] of reportCalls(null, { score: 150, success: "passed", complete: true })) {
      lms[verb](arg);
    }
    for (const [element, value] of api.sets.filter(([e]) => e.includes("score"))) {
      const n = Number(value);
      assert.ok(Number.isFinite(n), `${element}=${value}`);
      const [lo, hi] = element.endsWith("scaled") ? [-1, 1] : [0, 100];
      assert.ok(n >= lo && n <= hi, `${element}=${value}`);
    }
  });
}

test("entry reads \"\": the launch resumes whenever there is a bookmark or state", () => {
  const decode = (text) => (text ? { seen: [true] } : null);
  assert.deepEqual(launchPlan({ entry: "", bookmark: "m1/p3", state: "" }, decode),
    { saved: null, resumed: true, bookmark: "m1/p3" });
  assert.deepEqual(launchPlan({ entry: "", bookmark: "", state: "x" }, decode),
    { saved: { seen: [true] }, resumed: true, bookmark: "" });
  assert.deepEqual(launchPlan({ entry: "", bookmark: "", state: "" }, decode),
    { saved: null, resumed: false, bookmark: "" });
  // Only an explicit new attempt starts over.
  assert.deepEqual(launchPlan({ entry: "ab-initio", bookmark: "m1/p3", state: "x" }, decode),
    { saved: null, resumed: false, bookmark: "" });
});

test("no score and no pass/fail until every post-test is submitted", () => {
  // Module 1's post-test done (score 12.5 so far), the others not: nothing a mastery rule can use.
  const partial = { score: 12.5, success: "unknown", complete: false };
  assert.deepEqual(reportCalls(null, partial), [["incomplete"]]);
  assert.deepEqual(reportCalls(partial, { ...partial, score: 25 }), []);
  const final = { score: 85, success: "passed", complete: true };
  assert.deepEqual(reportCalls(partial, final), [
    ["setScore", { raw: 85, min: 0, max: 100, scaled: 0.85 }], ["pass"], ["complete"],
  ]);
  // A failed result is final too: score and fail, and the attempt stays incomplete.
  const failed = { score: 60, success: "failed", complete: false };
  assert.deepEqual(reportCalls(null, failed), [
    ["setScore", { raw: 60, min: 0, max: 100, scaled: 0.6 }], ["fail"], ["incomplete"],
  ]);
});

test("the interactions written so far follow from the learner state and the policy", () => {
  const q = { interaction: QUESTION };
  const assessments = {
    "m1/pre-test": { kind: "pre-test", questions: [q, q, q] },
    "m1/post-test": { kind: "post-test", draw: 2, questions: [q, q, q, q] },
    "m1/check/a": { kind: "check", questions: [q] },
  };
  const counts = { "m1/pre-test": 1, "m1/post-test": 3, "m1/check/a": 1 };
  const tracker = { record: (key) => ({ count: counts[key] }) };
  const post = { kinds: ["post-test"], attempts: 2 };
  assert.equal(interactionsWritten(post, assessments, tracker), 2 * 2);
  const all = { kinds: ["pre-test", "check", "post-test", "survey"], attempts: 1 };
  assert.equal(interactionsWritten(all, assessments, tracker), 3 + 2 + 1);
  assert.equal(recordsInteractions(post, assessments["m1/post-test"], 2), true);
  assert.equal(recordsInteractions(post, assessments["m1/post-test"], 3), false);
  assert.equal(recordsInteractions(post, assessments["m1/pre-test"], 1), false);
});
