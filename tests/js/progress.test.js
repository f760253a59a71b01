import { test } from "node:test";
import assert from "node:assert/strict";
import { markOf } from "../../templates/runtime/ui/progress.js";

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
