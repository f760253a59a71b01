import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { displayName, todoLines } from "../../templates/runtime/ui/finish.js";
import { setMessages } from "../../templates/runtime/util/messages.js";

setMessages(JSON.parse(readFileSync(new URL("../../templates/messages/en.json", import.meta.url))));

test("SCORM's 'Last, First' reads 'First Last'; other names stay as given", () => {
  assert.equal(displayName("Doe, Jane"), "Jane Doe");
  assert.equal(displayName("  Jane Doe "), "Jane Doe");
  assert.equal(displayName("Doe, Jane, Dr."), "Doe, Jane, Dr.");
  assert.equal(displayName(", Jane"), ", Jane");
  assert.equal(displayName(null), "");
});

test("what is still to do: unread pages, untaken post-tests, post-tests under the pass mark", () => {
  const pages = [
    { key: "a/p1", module: "a", kind: "page" },
    { key: "a/p2", module: "a", kind: "page" },
    { key: "a/post-test", module: "a", kind: "post-test" },
    { key: "b/p1", module: "b", kind: "page" },
    { key: "b/post-test", module: "b", kind: "post-test" },
  ];
  const assessments = {
    "a/post-test": { kind: "post-test", module: "a" },
    "b/post-test": { kind: "post-test", module: "b" },
  };
  const seen = new Set(["a/p1", "b/p1"]);
  const records = { "b/post-test": { count: 1, best: 0.5 } };
  const tracker = { seen: (k) => seen.has(k), record: (k) => records[k] ?? null };
  const moduleTitles = { a: "Alpha", b: "Beta" };
  const pending = todoLines({
    pages, assessments, tracker, status: { success: "unknown" }, mastery: 80, moduleTitles,
  });
  assert.deepEqual(pending, [
    "Alpha: pages not yet read: 1", "Alpha: post-test not taken yet",
  ]);
  records["a/post-test"] = { count: 2, best: 0.9 };
  seen.add("a/p2");
  const failed = todoLines({
    pages, assessments, tracker, status: { success: "failed" }, mastery: 80, moduleTitles,
  });
  assert.deepEqual(failed, ["Beta: post-test score 50%"]);
});
