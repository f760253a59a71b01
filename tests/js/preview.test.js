import { test } from "node:test";
import assert from "node:assert/strict";

import { resumeState } from "../../templates/preview/host.js";
import { outboxSize, scormStatus, sizeText, xapiStatus } from "../../templates/preview/panel.js";

test("the LMS hands a suspended SCORM 1.2 attempt back with entry resume", () => {
  const cmi = { suspend_data: "s", core: { lesson_location: "m/p", lesson_status: "incomplete",
    exit: "suspend", score: { raw: "", min: "", max: "" } } };
  assert.deepEqual(resumeState(cmi, "scorm12"), {
    suspend_data: "s",
    core: { lesson_location: "m/p", lesson_status: "incomplete", entry: "resume" },
  });
  assert.equal(resumeState(null, "scorm12"), null);
});

test("a SCORM 2004 resume keeps location, state, statuses and the score set", () => {
  const cmi = { location: "m/p", suspend_data: "s", completion_status: "completed",
    success_status: "passed", score: { scaled: "0.9", raw: "9", min: "", max: "10" } };
  assert.deepEqual(resumeState(cmi, "scorm2004"), {
    location: "m/p", suspend_data: "s", completion_status: "completed", success_status: "passed",
    score: { scaled: "0.9", raw: "9", max: "10" }, entry: "resume",
  });
});

test("status reads as each LMS keeps it", () => {
  assert.deepEqual(scormStatus({ core: { lesson_status: "passed", score: { raw: "90", max: "" } } },
    "scorm12"), { completion: "passed", success: "passed", score: "90 (of 100)" });
  assert.deepEqual(scormStatus({ completion_status: "incomplete", success_status: "unknown",
    score: {} }, "scorm2004"), { completion: "incomplete", success: "unknown", score: "–" });
  const course = "https://c.org";
  const said = (verb, id, result) => ({ statement: {
    verb: { id: `http://adlnet.gov/expapi/verbs/${verb}` }, object: { id }, result } });
  assert.deepEqual(xapiStatus([said("passed", `${course}/m/post-test`, { score: { scaled: 0.8 } }),
    said("completed", course)], course),
  { completion: "completed", success: "passed (m/post-test)", score: "0.8 scaled" });
});

test("sizes are shown against the limit and marked when over it", () => {
  assert.deepEqual(sizeText(4097, 4096, "characters"),
    { text: "4097 of 4096 characters (100 %)", over: true });
  assert.deepEqual(sizeText(10, null, "bytes"), { text: "10 bytes (no limit)", over: false });
});

test("the outbox size counts the course's queued statements only", () => {
  const items = { "coursepack:xapi:a:outbox": "[1,2]", "coursepack:xapi:b:outbox": "[3]",
    "coursepack:xapi:a:marks": "[1]", other: "[]" };
  const storage = { length: 4, key: (i) => Object.keys(items)[i], getItem: (k) => items[k] };
  assert.equal(outboxSize(storage), 3);
});
