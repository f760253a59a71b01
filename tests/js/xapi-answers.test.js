import { test } from "node:test";
import assert from "node:assert/strict";
import { reportAttempt } from "../../templates/runtime/util/xapi-answers.js";

const q = (id) => ({ id, type: "single", weight: 1, interaction: { iri: `urn:x:${id}` } });
const ASSESSMENT = { kind: "post-test", questions: [q("a"), q("b"), q("c")] };

function recorder() {
  const calls = [];
  const hook = (name) => (arg) => calls.push([name, arg]);
  return { calls, answered: hook("answered"), assessmentScored: hook("assessmentScored") };
}

test("each question shown is answered in display order, then the post-test is scored", () => {
  const xapi = recorder();
  const attempt = { order: [2, 0], responses: [["x"], ["y"]] };
  const score = { earned: 1, possible: 2, correct: [true, false] };
  reportAttempt(xapi, { key: "m/post-test", assessment: ASSESSMENT, attempt, score,
    latencyMs: 1500, mastery: 50 });
  assert.deepEqual(xapi.calls.map(([name, arg]) => [name, arg.question?.id ?? arg.kind]),
    [["answered", "c"], ["answered", "a"], ["assessmentScored", "post-test"]]);
  assert.deepEqual(xapi.calls[0][1], { question: ASSESSMENT.questions[2], response: ["x"],
    correct: true, durationMs: 1500, assessmentKey: "m/post-test" });
  assert.deepEqual(xapi.calls[2][1], { assessmentKey: "m/post-test", kind: "post-test",
    scaled: 0.5, raw: 1, min: 0, max: 2, durationMs: 1500, passed: true });
});

test("below the mastery score fails; a pre-test is neither passed nor failed", () => {
  const attempt = { order: [0], responses: [] };
  const score = { earned: 0, possible: 1, correct: [false] };
  const post = recorder();
  reportAttempt(post, { key: "k", assessment: ASSESSMENT, attempt, score, mastery: 80 });
  assert.equal(post.calls[1][1].passed, false);
  assert.deepEqual(post.calls[0][1].response, [], "a missing response is an empty one");
  const pre = recorder();
  reportAttempt(pre, { key: "k", assessment: { ...ASSESSMENT, kind: "pre-test" }, attempt,
    score: { earned: 0, possible: 0, correct: [] }, mastery: 80 });
  assert.deepEqual(pre.calls[1][1], { assessmentKey: "k", kind: "pre-test", scaled: 0, raw: 0,
    min: 0, max: 0, durationMs: undefined, passed: null });
  assert.equal(pre.calls[0][1].correct, null, "unscored: no correctness");
});

test("checks and the survey only report their answers", () => {
  for (const kind of ["check", "survey"]) {
    const xapi = recorder();
    reportAttempt(xapi, { key: "k", assessment: { ...ASSESSMENT, kind },
      attempt: { order: [1], responses: [["y"]] },
      score: { earned: 0, possible: 0, correct: [null] }, mastery: 80 });
    assert.deepEqual(xapi.calls.map(([name]) => name), ["answered"], kind);
  }
});

test("a post-test at exactly the mastery score passes despite binary fractions (29/50 = 58%)", () => {
  const questions = Array.from({ length: 50 }, (_, i) => q(`q${i}`));
  const attempt = { order: questions.map((_, i) => i), responses: questions.map(() => ["a"]) };
  const correct = questions.map((_, i) => i < 29);
  const xapi = recorder();
  reportAttempt(xapi, { key: "m/post-test", assessment: { kind: "post-test", questions }, attempt,
    score: { earned: 29, possible: 50, correct }, latencyMs: 10, mastery: 58 });
  // The tracker's course score (58) and the module objective pass at 58: xAPI must agree.
  assert.equal(xapi.calls.at(-1)[1].passed, true);
});
