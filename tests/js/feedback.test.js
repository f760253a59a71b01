import { test } from "node:test";
import assert from "node:assert/strict";
import { clearFeedback, hideAnswers, showFeedback } from "../../templates/runtime/ui/feedback.js";
import { readFileSync } from "node:fs";
import { setMessages } from "../../templates/runtime/util/messages.js";

// The pages speak the course's language; these tests read the English catalogue.
setMessages(JSON.parse(readFileSync(new URL("../../templates/messages/en.json", import.meta.url))));

/** A fieldset stand-in with its verdict line and explanation, and a class list. */
function fieldset() {
  const classes = new Set();
  const parts = {
    ".cp-verdict": { hidden: true, textContent: "" },
    ".cp-answer": { hidden: true, open: false },
  };
  return {
    classes,
    parts,
    classList: {
      add: (c) => classes.add(c),
      toggle: (c, on) => (on ? classes.add(c) : classes.delete(c)),
    },
    querySelector: (selector) => parts[selector] ?? null,
  };
}

test("showFeedback marks a wrong answer, says so and opens the explanation", () => {
  const fs = fieldset();
  showFeedback(fs, false);
  assert.deepEqual([...fs.classes], ["cp-wrong"]);
  assert.deepEqual(fs.parts[".cp-verdict"], { hidden: false, textContent: "Incorrect." });
  assert.deepEqual(fs.parts[".cp-answer"], { hidden: false, open: true });
});

test("a right answer keeps the explanation closed; verdict: false hides the line", () => {
  const fs = fieldset();
  showFeedback(fs, true, { verdict: false });
  assert.deepEqual([...fs.classes], ["cp-right"]);
  assert.equal(fs.parts[".cp-verdict"].hidden, true);
  assert.deepEqual(fs.parts[".cp-answer"], { hidden: false, open: false });
});

test("an unscored question gets no mark and no verdict, but its explanation shows", () => {
  const fs = fieldset();
  showFeedback(fs, null);
  assert.equal(fs.classes.size, 0);
  assert.equal(fs.parts[".cp-verdict"].hidden, true);
  assert.equal(fs.parts[".cp-answer"].hidden, false);
});

test("clearFeedback takes every mark off again; hideAnswers hides each explanation", () => {
  const fs = fieldset();
  showFeedback(fs, false);
  clearFeedback(fs);
  assert.equal(fs.classes.size, 0);
  assert.equal(fs.parts[".cp-verdict"].hidden, true);
  assert.deepEqual(fs.parts[".cp-answer"], { hidden: true, open: false });
  const answers = [{ hidden: false }, { hidden: false }];
  hideAnswers({ querySelectorAll: () => answers });
  assert.ok(answers.every((d) => d.hidden));
});

test("the explanation ships in a template: the first feedback puts it in place, once", () => {
  let placed = null;
  let clones = 0;
  const template = {
    content: { cloneNode: () => ({ clone: (clones += 1) }) },
    after: () => {
      placed = { hidden: true, open: false };
    },
  };
  const verdict = { hidden: true, textContent: "" };
  const fs = {
    classList: { add() {}, toggle() {} },
    querySelector(selector) {
      if (selector === ".cp-verdict") return verdict;
      if (selector === ".cp-answer") return placed;
      if (selector === "template.cp-answer-t") return template;
      return null;
    },
  };
  clearFeedback(fs); // answering: nothing is taken out of the template
  assert.equal(placed, null);
  showFeedback(fs, false);
  assert.deepEqual(placed, { hidden: false, open: true });
  clearFeedback(fs);
  showFeedback(fs, true);
  assert.equal(clones, 1);
  assert.deepEqual(placed, { hidden: false, open: false });
});
