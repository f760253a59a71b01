import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { courseProgress, progressText } from "../../templates/runtime/ui/progress.js";
import { markOf } from "../../templates/runtime/util/steps.js";
import { setMessages } from "../../templates/runtime/util/messages.js";

setMessages(JSON.parse(readFileSync(new URL("../../templates/messages/en.json", import.meta.url))));

function trackerOf(seen, records) {
  return { seen: (k) => seen.includes(k), record: (k) => records[k] ?? null };
}

test("a page is seen or not; a submitted pre-test or survey is done", () => {
  const tracker = trackerOf(["m/p1", "m/pre-test"], { "m/pre-test": { count: 1, best: 0.2 } });
  assert.equal(markOf({ key: "m/p1", kind: "page" }, tracker, 80), "seen");
  assert.equal(markOf({ key: "m/p2", kind: "page" }, tracker, 80), "");
  assert.equal(markOf({ key: "m/pre-test", kind: "pre-test" }, tracker, 80), "done");
});

test("a post-test is passed or failed by its best attempt, never just seen once submitted", () => {
  const records = { "m/post-test": { count: 1, best: 0.5 } };
  const tracker = trackerOf(["m/post-test"], records);
  const post = { key: "m/post-test", kind: "post-test" };
  assert.equal(markOf(post, tracker, 80), "failed");
  records["m/post-test"] = { count: 2, best: 0.8 };
  assert.equal(markOf(post, tracker, 80), "passed");
  assert.equal(markOf(post, trackerOf(["m/post-test"], {}), 80), "seen");
});

const COURSE = [
  { key: "m1/p1", module: "m1", kind: "page" },
  { key: "m1/post-test", module: "m1", kind: "post-test" },
  { key: "m2/pre-test", module: "m2", kind: "pre-test" },
  { key: "m2/p1", module: "m2", kind: "page" },
  { key: "m2/post-test", module: "m2", kind: "post-test" },
];
const EVERY = COURSE.map((p) => p.key);
const ASSESSMENTS = {
  "m1/post-test": { kind: "post-test" }, "m2/pre-test": { kind: "pre-test" },
  "m2/post-test": { kind: "post-test" },
};

test("every page seen and a post-test failed: not 100%, and the module to pass is named", () => {
  const records = {
    "m1/post-test": { count: 1, best: 0.5 }, "m2/post-test": { count: 1, best: 1 },
  };
  const tracker = trackerOf(EVERY, records);
  const at = { pages: COURSE, assessments: ASSESSMENTS, tracker, mastery: 80 };
  const failed = courseProgress({ ...at, rule: "all-pages-and-post-test", complete: false });
  assert.deepEqual(failed, { percent: 80, toPass: ["m1"] });
  assert.equal(progressText(failed, new Map([["m1", 1], ["m2", 2]]), "en"),
    "80% of the course done. All pages seen; to finish, pass the post-test of Module 1.");
  // The course's score over both tests may reach the pass mark: then it is complete.
  assert.deepEqual(courseProgress({ ...at, rule: "all-pages-and-post-test", complete: true }),
    { percent: 100, toPass: [] });
  // Without a post-test in the completion rule, a post-test seen is a step done.
  assert.deepEqual(courseProgress({ ...at, rule: "all-pages", complete: true }),
    { percent: 100, toPass: [] });
});

test("a post-test seen but not taken is a step to do; every module still to pass is named", () => {
  const tracker = trackerOf(EVERY, {});
  const at = { pages: COURSE, assessments: ASSESSMENTS, tracker, mastery: 80 };
  const progress = courseProgress({ ...at, rule: "post-test", complete: false });
  assert.deepEqual(progress, { percent: 60, toPass: ["m1", "m2"] });
  assert.equal(progressText(progress, new Map([["m1", 4], ["m2", 5]]), "en"),
    "60% of the course done. All pages seen; to finish, pass the post-test of Module 4 and "
    + "Module 5.");
});

test("pages still unread: the plain share, rounded down, and no module named", () => {
  const tracker = trackerOf(["m1/p1", "m1/post-test"], { "m1/post-test": { count: 1, best: 0.2 } });
  const at = { pages: COURSE, assessments: ASSESSMENTS, tracker, mastery: 80 };
  const progress = courseProgress({ ...at, rule: "all-pages-and-post-test", complete: false });
  assert.deepEqual(progress, { percent: 20, toPass: [] });
  assert.equal(progressText(progress, new Map(), "en"), "20% of the course done");
  const many = Array.from({ length: 200 }, (_, i) => ({ key: `m/p${i}`, module: "m",
    kind: "page" }));
  const most = trackerOf(many.slice(0, 199).map((p) => p.key), {});
  assert.equal(courseProgress({
    pages: many, assessments: {}, tracker: most, mastery: 80, rule: "all-pages", complete: false,
  }).percent, 99, "199 of 200 is not 100%");
});

test("the follow-up's rule: an assessment counts once submitted, not once seen", () => {
  const pages = [
    { key: "follow-up/retention-test", module: "", kind: "retention-test" },
    { key: "follow-up/practice-survey", module: "", kind: "practice-survey" },
  ];
  const assessments = {
    "follow-up/retention-test": { kind: "retention-test" },
    "follow-up/practice-survey": { kind: "practice-survey" },
  };
  const tracker = trackerOf(pages.map((p) => p.key), { "follow-up/retention-test": { count: 1 } });
  assert.deepEqual(courseProgress({
    pages, assessments, tracker, mastery: 80, rule: "all-assessments", complete: false,
  }), { percent: 50, toPass: [] });
});

test("a unit of one module says so: its 100% is the module's, not the course's", () => {
  const numbers = new Map([["m2", 5]]);
  assert.equal(progressText({ percent: 100, toPass: [] }, numbers, "en", "m2"),
    "100% of this module done");
  assert.equal(progressText({ percent: 75, toPass: ["m2"] }, numbers, "en", "m2"),
    "75% of this module done. All pages seen; to finish, pass the post-test of Module 5.");
  assert.equal(progressText({ percent: 100, toPass: [] }, numbers, "en", "course"),
    "100% of the course done");
});
