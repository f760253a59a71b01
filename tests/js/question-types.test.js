// The question types (ui/questions/*.js): what each reads from its fieldset, fills back, and credits.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as choice from "../../templates/runtime/ui/questions/choice.js";
import * as scenario from "../../templates/runtime/ui/questions/scenario.js";
import * as select from "../../templates/runtime/ui/questions/select.js";
import * as text from "../../templates/runtime/ui/questions/text.js";
import { El, fieldset, inputsOf, Q } from "./quiz-fixtures.mjs";

test("choice questions need exactly the correct set", () => {
  assert.equal(choice.credit(Q.one, ["b"]), 1);
  assert.equal(choice.credit(Q.one, ["a"]), 0);
  assert.equal(choice.credit(Q.many, ["c", "a"]), 1);
  assert.equal(choice.credit(Q.many, ["a"]), 0);
  assert.equal(choice.credit(Q.many, ["a", "b", "c"]), 0);
  assert.equal(choice.credit(Q.tf, ["false"]), 1);
  assert.equal(choice.credit(Q.tf, []), 0);
  assert.equal(choice.answered(Q.tf, []), false);
});

test("shuffle reorders the options of choice questions but not true or false", () => {
  const fs = fieldset("one", ["a", "b", "c", "d"]);
  choice.shuffle(fs, () => [3, 1, 0, 2]);
  assert.deepEqual(inputsOf(fs).map((i) => i.value), ["d", "b", "a", "c"]);
  const tf = fieldset("tf", ["true", "false"], "true-false");
  choice.shuffle(tf, () => [1, 0]);
  assert.deepEqual(inputsOf(tf).map((i) => i.value), ["true", "false"]);
});

test("fill-in accepts any listed answer, ignoring case and extra spaces unless told", () => {
  const q = { type: "fill-in", answers: ["two", "2"], caseSensitive: false };
  assert.equal(text.credit(q, ["  TWO "]), 1);
  assert.equal(text.credit(q, ["2"]), 1);
  assert.equal(text.credit(q, ["three"]), 0);
  assert.equal(text.credit(q, []), 0);
  assert.equal(text.credit({ ...q, caseSensitive: true }, ["TWO"]), 0);
  assert.equal(text.credit({ type: "fill-in", answers: ["New  York"] }, ["new york"]), 1);
});

test("numeric takes an exact answer or a range, with a dot or a decimal comma", () => {
  assert.equal(text.parseNumber("9,5"), 9.5);
  assert.equal(text.parseNumber("1,000.5"), 1000.5);
  assert.ok(Number.isNaN(text.parseNumber("nine")));
  assert.ok(Number.isNaN(text.parseNumber("")));
  const exact = { type: "numeric", answer: 9071, range: null };
  assert.equal(text.credit(exact, ["9071"]), 1);
  assert.equal(text.credit(exact, ["9072"]), 0);
  const range = { type: "numeric", answer: null, range: [9000, 9100] };
  assert.equal(text.credit(range, ["9000"]), 1);
  assert.equal(text.credit(range, ["9100"]), 1);
  assert.equal(text.credit(range, ["9100,5"]), 0);
  assert.equal(text.credit(range, ["lots"]), 0);
});

test("text questions read the trimmed field", () => {
  const fs = new El(["fieldset.cp-q"]).add(new El(["input"], { value: "  two  " }));
  assert.deepEqual(text.read(fs), ["two"]);
  text.fill(fs, []);
  assert.deepEqual(text.read(fs), []);
});

test("matching and sequencing need every slot right", () => {
  const q = { type: "matching", correct: ["a", "b", "c"] };
  assert.equal(select.credit(q, ["a", "b", "c"]), 1);
  assert.equal(select.credit(q, ["b", "a", "c"]), 0);
  assert.equal(select.answered(q, ["a", "", "c"]), false);
  assert.equal(select.answered(q, ["a", "b"]), false);
  const fs = new El(["fieldset.cp-q"]).add(new El(["select"], { value: "" }), new El(["select"], { value: "" }));
  select.fill(fs, ["b", "a"]);
  assert.deepEqual(select.read(fs), ["b", "a"]);
});

const CASE = {
  type: "scenario", best: 4,
  steps: [
    { id: "start", options: [{ points: 2, next: "screen" }, { points: 0, next: null }] },
    { id: "screen", options: [{ points: 2, next: null }, { points: 1, next: null }] },
  ],
};

test("a scenario scores the points of the path taken over the best path", () => {
  assert.equal(scenario.credit(CASE, ["0", "0"]), 1);
  assert.equal(scenario.credit(CASE, ["0", "1"]), 0.75);
  assert.equal(scenario.credit(CASE, ["1"]), 0);
  assert.equal(scenario.answered(CASE, ["0"]), false, "the case has not ended");
  assert.equal(scenario.answered(CASE, ["1"]), true);
  assert.equal(scenario.answered(CASE, ["0", "1"]), true);
  assert.equal(scenario.answered(CASE, ["1", "0"]), false, "no step after the end");
  assert.equal(scenario.answered(CASE, ["7"]), false);
});

test("a scenario shows only the steps on the path and the feedback chosen", () => {
  const step = (id) => {
    const list = new El([".cp-choices"]);
    for (const v of ["0", "1"]) {
      list.add(new El([".cp-choice"]).add(new El(["input"], { value: v, checked: false }),
        new El([".cp-feedback"], { dataset: { for: v }, hidden: true })));
    }
    return new El([".cp-step"], { dataset: { step: id } }).add(list);
  };
  const fs = new El(["fieldset.cp-q"]).add(step("start"), step("screen"));
  const [start, screen] = fs.querySelectorAll(".cp-step");
  scenario.bind(fs, CASE);
  assert.deepEqual([start.hidden, screen.hidden], [false, true]);
  start.querySelectorAll("input")[0].checked = true;
  fs.listeners.change();
  assert.deepEqual([start.hidden, screen.hidden], [false, false]);
  assert.deepEqual(start.querySelectorAll(".cp-feedback").map((p) => p.hidden), [false, true]);
  assert.deepEqual(scenario.read(fs, CASE), ["0"]);
  screen.querySelectorAll("input")[1].checked = true;
  assert.deepEqual(scenario.read(fs, CASE), ["0", "1"]);
  start.querySelectorAll("input")[0].checked = false;
  start.querySelectorAll("input")[1].checked = true;
  fs.listeners.change();
  assert.deepEqual(scenario.read(fs, CASE), ["1"], "a step off the path is not read");
  assert.equal(screen.hidden, true);
  scenario.fill(fs, ["0", "0"], CASE);
  assert.deepEqual(scenario.read(fs, CASE), ["0", "0"]);
});
