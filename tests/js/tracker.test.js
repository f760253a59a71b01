import { test } from "node:test";
import assert from "node:assert/strict";
import {
  courseScore, createTracker, isComplete, packSeen, possibleOf, ratioOf, successOf, unpackSeen,
} from "../../templates/runtime/tracker.js";
import { decodeState, encodeState } from "../../templates/runtime/util/state.js";
import { reportCalls } from "../../templates/runtime/util/report.js";

const q = (id, weight = 1, extra = {}) => ({ id, type: "single", weight, choices: ["a", "b"],
  correct: ["a"], ...extra });

const PAGES = [
  { key: "m1/pre-test", kind: "pre-test" },
  { key: "m1/intro", kind: "page" },
  { key: "m1/more", kind: "page" },
  { key: "m1/post-test", kind: "post-test" },
  { key: "m2/only", kind: "page" },
  { key: "m2/post-test", kind: "post-test" },
];
const ASSESSMENTS = {
  "m1/pre-test": { kind: "pre-test", questions: [q("p1")] },
  "m1/post-test": { kind: "post-test", questions: [q("a1"), q("a2", 3)] },
  "m1/check/c1": { kind: "check", questions: [q("c1")] },
  "m2/post-test": { kind: "post-test", questions: [q("b1", 2), q("b2", 2)] },
};
// A fake scorer: a response "a" is right. Keeps these tests independent of quiz.js.
function fakeScore(assessment, attempt) {
  let earned = 0;
  let possible = 0;
  attempt.order.forEach((i, pos) => {
    possible += assessment.questions[i].weight;
    if (attempt.responses[pos][0] === "a") earned += assessment.questions[i].weight;
  });
  return { earned, possible };
}
const make = (completion = "all-pages-and-post-test") =>
  createTracker({ pages: PAGES, assessments: ASSESSMENTS, completion, score: fakeScore });
const all = (n, pick) => ({ order: [...Array(n).keys()], responses: Array(n).fill([pick]) });

test("packSeen puts four pages in each hex digit, lowest bit first", () => {
  assert.equal(packSeen([true, true, true, false, true]), "71");
  assert.equal(packSeen([false, false, false, true]), "8");
  assert.equal(packSeen([]), "");
});

test("unpackSeen reverses packSeen and reads bad input as unseen", () => {
  const flags = [true, false, true, true, false, false, true, false, true];
  assert.deepEqual(unpackSeen(packSeen(flags), flags.length), flags);
  assert.deepEqual(unpackSeen("zz", 3), [false, false, false]);
  assert.deepEqual(unpackSeen(undefined, 2), [false, false]);
});

test("possibleOf sums weights and scales a drawn test by draw / count", () => {
  assert.equal(possibleOf({ questions: [q("a", 1), q("b", 3)] }), 4);
  assert.equal(possibleOf({ draw: 1, questions: [q("a", 1), q("b", 3)] }), 2);
  assert.equal(possibleOf({ questions: [q("a", 1), q("b", 5, { scored: false })] }), 1);
});

test("courseScore is null before a submission and counts unsubmitted tests in the total", () => {
  const tests = [["x", { questions: [q("a", 2)] }], ["y", { questions: [q("b", 6)] }]];
  assert.equal(courseScore(tests, new Map()), null);
  assert.equal(courseScore(tests, new Map([["x", { earned: 2, possible: 2 }]])), 25);
  const both = new Map([["x", { earned: 1, possible: 2 }], ["y", { earned: 1, possible: 6 }]]);
  assert.equal(courseScore(tests, both), 25);
  const drawn = new Map([["x", { earned: 1, possible: 3 }], ["y", { earned: 0, possible: 6 }]]);
  assert.equal(courseScore(tests, drawn), 11.11);
});

test("successOf decides only when every post-test is in", () => {
  assert.equal(successOf(90, 80, false), "unknown");
  assert.equal(successOf(null, 80, true), "unknown");
  assert.equal(successOf(80, 80, true), "passed");
  assert.equal(successOf(79.99, 80, true), "failed");
});

test("isComplete follows the completion rule, falling back to pages without post-tests", () => {
  const cases = [
    ["all-pages", { pagesDone: true, passed: false, hasPostTests: true }, true],
    ["all-pages", { pagesDone: false, passed: true, hasPostTests: true }, false],
    ["post-test", { pagesDone: false, passed: true, hasPostTests: true }, true],
    ["post-test", { pagesDone: true, passed: false, hasPostTests: true }, false],
    ["all-pages-and-post-test", { pagesDone: true, passed: false, hasPostTests: true }, false],
    ["all-pages-and-post-test", { pagesDone: false, passed: true, hasPostTests: true }, false],
    ["all-pages-and-post-test", { pagesDone: true, passed: true, hasPostTests: true }, true],
    ["post-test", { pagesDone: true, passed: false, hasPostTests: false }, true],
    ["post-test", { pagesDone: false, passed: false, hasPostTests: false }, false],
  ];
  for (const [rule, facts, want] of cases) {
    assert.equal(isComplete(rule, facts), want, `${rule} ${JSON.stringify(facts)}`);
  }
});

test("view marks a page seen once and progress counts every section", () => {
  const t = make();
  assert.equal(t.view("m1/intro"), true);
  assert.equal(t.view("m1/intro"), false);
  assert.equal(t.view("nope"), false);
  const s = t.status(80);
  assert.equal(s.seen, 1);
  assert.equal(s.total, 6);
  assert.equal(s.progress, 1 / 6);
  assert.equal(s.score, null);
  assert.equal(s.success, "unknown");
  assert.equal(s.complete, false);
});

test("progress counts steps: a failed post-test is not done, 1 only once complete", () => {
  const t = make();
  for (const page of PAGES) t.view(page.key);
  t.submit("m1/pre-test", all(1, "a"));
  t.submit("m1/post-test", all(2, "a"));
  t.submit("m2/post-test", all(2, "b"));
  const failed = t.status(80);
  assert.equal(failed.complete, false);
  assert.equal(failed.progress, 5 / 6, "every page seen, one post-test failed");
  t.submit("m2/post-test", all(2, "a"));
  assert.equal(t.status(80).complete, true);
  assert.equal(t.status(80).progress, 1);
  const seenOnly = make("all-pages");
  for (const page of PAGES) seenOnly.view(page.key);
  assert.equal(seenOnly.status(80).progress, 1, "all pages seen completes an all-pages course");
  const almost = make("post-test");
  for (const page of PAGES) almost.view(page.key);
  assert.equal(almost.status(80).progress, 4 / 6, "post-tests seen but not passed are not done");
});

test("score covers all post-tests, pre-tests and checks never count", () => {
  const t = make();
  t.submit("m1/pre-test", all(1, "a"));
  t.submit("m1/check/c1", all(1, "a"));
  assert.equal(t.status(80).score, null);
  t.submit("m1/post-test", all(2, "a"));
  const s = t.status(80);
  assert.equal(s.score, 50); // 4 of 4 + 4 not yet taken
  assert.equal(s.success, "unknown");
  assert.equal(t.attempt("m1/check/c1").submitted, true, "checks are kept too (for resuming)");
});

test("pass/fail uses the mastery given and completion waits for pages and tests", () => {
  const t = make();
  t.submit("m1/post-test", all(2, "a"));
  t.submit("m2/post-test", { order: [0, 1], responses: [["a"], ["b"]] });
  assert.equal(t.status(80).score, 75);
  assert.equal(t.status(80).success, "failed");
  assert.equal(t.status(75).success, "passed");
  assert.equal(t.status(75).complete, false);
  for (const key of ["m1/intro", "m1/more", "m2/only"]) t.view(key);
  assert.equal(t.status(75).complete, true);
  assert.equal(t.status(80).complete, false);
});

test("the all-pages rule needs content pages only, not assessments", () => {
  const t = make("all-pages");
  for (const key of ["m1/intro", "m1/more"]) t.view(key);
  assert.equal(t.status(80).complete, false);
  t.view("m2/only");
  assert.equal(t.status(80).complete, true);
});

test("snapshot and restore carry pages seen, attempts in progress and submitted ones", () => {
  const t = make();
  t.view("m1/intro");
  t.view("m2/only");
  t.submit("m1/pre-test", { seed: 7, ...all(1, "b") });
  t.submit("m1/post-test", { seed: 9, order: [1, 0], responses: [["a"], ["b"]] });
  t.progress("m2/post-test", { seed: 3, order: [1, 0], responses: [["a"], []] });
  const snap = t.snapshot();
  assert.deepEqual(snap.seen, [false, true, false, false, true, false]);
  assert.deepEqual(snap.records["m1/post-test"], {
    count: 1, best: 0.75, attempt: { seed: 9, order: [1, 0], responses: [["a"], ["b"]], submitted: true },
  });
  const back = make();
  back.restore(decodeState(encodeState(snap, ASSESSMENTS), ASSESSMENTS));
  assert.equal(back.seen("m1/intro"), true);
  assert.equal(back.seen("m1/more"), false);
  assert.deepEqual(back.attempt("m1/post-test"), snap.records["m1/post-test"].attempt);
  assert.deepEqual(back.attempt("m2/post-test"),
    { seed: 3, order: [1, 0], responses: [["a"], []], submitted: false });
  assert.deepEqual(back.status(80), t.status(80));
});

test("restore drops seen pages of another page count and records of unknown assessments", () => {
  const t = make();
  const attempt = { seed: 1, order: [0], responses: [["a"]], submitted: true };
  t.restore({ n: 5, seen: [true, true, true, true, true],
    records: { x: { count: 1, best: 1, attempt }, "m2/post-test": { count: 1, best: 1, attempt } } });
  assert.equal(t.status(80).seen, 0);
  assert.equal(t.attempt("x"), null);
  assert.deepEqual(t.attempt("m2/post-test"), attempt);
  t.restore(null);
  t.restore("garbage");
});

test("a retake keeps the best score and counts attempts against the limit", () => {
  const limited = { ...ASSESSMENTS, "m1/post-test": { ...ASSESSMENTS["m1/post-test"], attempts: 2 } };
  const t = createTracker({ pages: PAGES, assessments: limited, completion: "post-test",
    score: fakeScore });
  assert.equal(t.canRetake("m1/post-test"), true);
  t.submit("m1/post-test", { seed: 1, ...all(2, "a") });
  assert.equal(t.canRetake("m1/post-test"), true);
  t.progress("m1/post-test", { seed: 2, order: [1, 0], responses: [[], []] });
  assert.equal(t.record("m1/post-test").best, 1, "the score stands while a retake is in progress");
  t.submit("m1/post-test", { seed: 2, ...all(2, "b") });
  assert.deepEqual([t.record("m1/post-test").count, t.record("m1/post-test").best], [2, 1]);
  assert.equal(t.canRetake("m1/post-test"), false);
  assert.equal(t.canRetake("m2/post-test"), true, "no limit: attempts 0 or missing");
  assert.equal(t.canRetake("m1/pre-test"), false, "pre-tests are taken once");
  assert.equal(ratioOf({ earned: 1, possible: 4 }), 0.25);
  assert.equal(ratioOf({ earned: 0, possible: 0 }), null);
});

test("modulesDone applies the completion rule to each module alone", () => {
  // The runtime's page entries name their module; the survey belongs to none.
  const pages = [...PAGES.map((p) => ({ ...p, module: p.key.split("/")[0] })),
    { key: "survey", kind: "survey", module: "" }];
  const assessments = Object.fromEntries(Object.entries(ASSESSMENTS)
    .map(([key, a]) => [key, { ...a, module: key.split("/")[0] }]));
  const make2 = (completion) => createTracker({ pages, assessments, completion, score: fakeScore });

  const strict = make2("all-pages-and-post-test");
  assert.deepEqual(strict.modulesDone(80), []);
  for (const key of ["m1/intro", "m1/more"]) strict.view(key);
  assert.deepEqual(strict.modulesDone(80), [], "m1's post-test is not submitted yet");
  strict.submit("m1/post-test", { seed: 1, order: [0, 1], responses: [["a"], ["b"]] });
  assert.deepEqual(strict.modulesDone(80), [], "1 of 4 is below the mastery score");
  assert.deepEqual(strict.modulesDone(25), ["m1"], "the mastery score given decides");
  strict.submit("m1/post-test", { seed: 2, ...all(2, "a") });
  assert.deepEqual(strict.modulesDone(80), ["m1"]);
  strict.submit("m2/post-test", { seed: 3, ...all(2, "a") });
  assert.deepEqual(strict.modulesDone(80), ["m1"], "m2's page is not seen");
  strict.view("m2/only");
  assert.deepEqual(strict.modulesDone(80), ["m1", "m2"]);

  const byTest = make2("post-test");
  byTest.submit("m2/post-test", { seed: 1, ...all(2, "a") });
  assert.deepEqual(byTest.modulesDone(80), ["m2"], "no page needs to be seen");
  byTest.submit("m1/post-test", { seed: 2, ...all(2, "b") });
  assert.deepEqual(byTest.modulesDone(80), ["m2"], "a failed post-test does not finish m1");

  const byPages = make2("all-pages");
  byPages.view("m2/only");
  byPages.view("m1/post-test");
  assert.deepEqual(byPages.modulesDone(80), ["m2"], "tests and the survey are not content pages");
});

test("modulesDone falls back to pages for a module without a post-test", () => {
  const pages = [{ key: "a/p", kind: "page", module: "a" }, { key: "b/p", kind: "page", module: "b" },
    { key: "b/post-test", kind: "post-test", module: "b" }];
  const assessments = { "b/post-test": { kind: "post-test", module: "b", questions: [q("x")] } };
  const t = createTracker({ pages, assessments, completion: "post-test", score: fakeScore });
  assert.deepEqual(t.modulesDone(80), []);
  t.view("a/p");
  assert.deepEqual(t.modulesDone(80), ["a"]);
});

test("the follow-up unit: complete when both parts are submitted; the retention score, never pass", () => {
  const pages = [{ key: "follow-up/retention-test", kind: "retention-test" },
    { key: "follow-up/practice-survey", kind: "practice-survey" }];
  const assessments = {
    "follow-up/retention-test": { kind: "retention-test", questions: [q("r1"), q("r2"), q("r3"), q("r4")] },
    "follow-up/practice-survey": { kind: "practice-survey",
      questions: [{ id: "s1", type: "likert", weight: 1, scored: false, choices: ["a", "b"] }] },
  };
  const tracker = createTracker({ pages, assessments, completion: "all-assessments", score: fakeScore });
  for (const p of pages) tracker.view(p.key);
  let status = tracker.status(80);
  assert.equal(status.complete, false, "seeing both pages is not enough");
  assert.equal(status.final, false);
  tracker.submit("follow-up/retention-test", { order: [0, 1, 2, 3], responses: [["a"], ["a"], ["a"], ["b"]] });
  status = tracker.status(80);
  assert.deepEqual([status.score, status.final, status.success, status.complete], [75, true, "unknown", false]);
  assert.deepEqual(reportCalls(null, status), [
    ["setScore", { raw: 75, min: 0, max: 100, scaled: 0.75 }], ["incomplete"]]);
  tracker.submit("follow-up/practice-survey", { order: [0], responses: [["b"]] });
  status = tracker.status(80);
  assert.equal(status.complete, true);
  assert.deepEqual(reportCalls({ score: 75, success: "unknown", complete: false }, status), [["complete"]]);
  assert.deepEqual(tracker.modulesDone(80), [], "the follow-up has no modules");
});
