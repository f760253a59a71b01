// A quiz form (ui/quiz.js createQuiz): start, submit, verdicts, draws, retakes, resume and saving.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createQuiz, scoreAttempt, seeded } from "../../templates/runtime/ui/quiz.js";
import { createTracker } from "../../templates/runtime/tracker.js";
import { decodeState, encodeState } from "../../templates/runtime/util/state.js";
import { readFileSync } from "node:fs";
import { setMessages } from "../../templates/runtime/util/messages.js";

// The pages speak the course's language; these tests read the English catalogue.
setMessages(JSON.parse(readFileSync(new URL("../../templates/messages/en.json", import.meta.url))));
import { fieldset, form, inputsOf, pick, Q, submit } from "./quiz-fixtures.mjs";

test("a submitted quiz reports its attempt, then shows verdicts, feedback and the result", () => {
  const sets = [fieldset("one", ["a", "b", "c"]), fieldset("many", ["a", "b", "c"], "multiple")];
  const f = form(sets);
  const seen = [];
  const quiz = createQuiz({ form: f, assessment: { questions: [Q.one, Q.many] },
    onSubmit: (attempt) => seen.push(attempt) });
  assert.ok(f.querySelectorAll(".cp-answer").every((d) => d.hidden), "answers hidden before submit");
  quiz.start();
  assert.equal(f.querySelector('button[type="submit"]').hidden, false);
  pick(sets[0], "a");
  pick(sets[1], "a", "c");
  submit(f);
  assert.equal(seen.length, 1);
  assert.deepEqual({ ...seen[0], seed: 0 }, { seed: 0, order: [0, 1], responses: [["a"], ["a", "c"]] });
  assert.ok(Number.isInteger(seen[0].seed) && seen[0].seed >= 0 && seen[0].seed < 36 ** 4);
  assert.equal(quiz.done, true);
  assert.equal(f.querySelector(".cp-result").textContent, "You answered 1 of 2 questions correctly (67%).");
  assert.ok(sets[0].classes.has("cp-wrong") && sets[1].classes.has("cp-right"));
  assert.equal(sets[0].querySelector(".cp-verdict").textContent, "Incorrect.");
  assert.equal(sets[0].querySelector(".cp-answer").open, true);
  assert.equal(sets[1].querySelector(".cp-answer").open, false);
  assert.ok([...inputsOf(sets[0]), ...inputsOf(sets[1])].every((i) => i.disabled));
  const feedback = sets[0].querySelectorAll(".cp-feedback").map((p) => p.hidden);
  assert.deepEqual(feedback, [false, true, true]);
  assert.equal(f.querySelector('button[type="submit"]').hidden, true);
  submit(f);
  assert.equal(seen.length, 1, "a second submit does nothing");
});

test("an incomplete quiz is not submitted and focus goes to the first unanswered question", () => {
  const sets = [fieldset("one", ["a", "b", "c"]), fieldset("tf", ["true", "false"], "true-false")];
  const f = form(sets);
  let calls = 0;
  createQuiz({ form: f, assessment: { questions: [Q.one, Q.tf] }, onSubmit: () => { calls += 1; } }).start();
  pick(sets[0], "b");
  submit(f);
  assert.equal(calls, 0);
  assert.equal(f.querySelector(".cp-result").textContent, "Please answer every question: 1 not answered yet.");
  assert.equal(inputsOf(sets[1])[0].focused, true);
});

test("a drawn quiz shows only the drawn questions and show() restores a saved attempt", () => {
  const sets = [fieldset("one", ["a", "b", "c"]), fieldset("many", ["a", "b", "c"]), fieldset("tf", ["true", "false"])];
  const f = form(sets);
  const assessment = { draw: 2, questions: [Q.one, Q.many, Q.tf] };
  createQuiz({ form: f, assessment, rng: seeded(3) }).start();
  assert.equal(sets.filter((s) => !s.hidden).length, 2);

  const g = form([fieldset("one", ["a", "b", "c"]), fieldset("many", ["a", "b", "c"]), fieldset("tf", ["true", "false"])]);
  const again = createQuiz({ form: g, assessment, describe: (score) => `got ${score.earned}` });
  const score = again.show({ order: [2, 0], responses: [["false"], ["b"]] });
  assert.deepEqual(score, { earned: 2, possible: 2, correct: [true, true] });
  const shown = g.children.filter((c) => c.is.includes("fieldset.cp-q") && !c.hidden);
  assert.deepEqual(shown.map((s) => s.dataset.qid), ["tf", "one"]);
  assert.deepEqual(inputsOf(shown[0]).map((i) => i.checked), [false, true]);
  assert.equal(g.querySelector(".cp-result").textContent, "got 2");
});

test("Retake starts a new attempt with a new draw once the first is submitted", () => {
  const sets = [fieldset("one", ["a", "b", "c"]), fieldset("many", ["a", "b", "c"]), fieldset("tf", ["true", "false"])];
  const f = form(sets);
  const assessment = { draw: 2, shuffle: true, questions: [Q.one, Q.many, Q.tf] };
  const changes = [];
  const submits = [];
  let left = 1;
  let clock = 1000;
  const quiz = createQuiz({ form: f, assessment, rng: seeded(11), now: () => clock,
    canRetake: () => left > 0, onChange: (a) => changes.push(a),
    onSubmit: (a, latency) => submits.push([a, latency]), onRetake: () => { left -= 1; } });
  const retake = f.querySelector('button[data-cp="retake"]');
  quiz.start();
  const first = changes.at(-1);
  assert.equal(first.order.length, 2, "the draw is reported before any answer");
  quiz.visible(1500);
  quiz.visible(2500);
  for (const i of first.order) pick(sets[i], ...{ one: ["a"], many: ["b"], tf: ["true"] }[sets[i].dataset.qid]);
  f.listeners.change();
  assert.deepEqual(changes.at(-1).responses.length, 2);
  clock = 4000;
  submit(f);
  assert.equal(submits[0][1], 2500, "latency from when the form was first shown");
  assert.equal(retake.hidden, false);
  retake.listeners.click();
  assert.equal(quiz.done, false);
  const second = changes.at(-1);
  assert.notDeepEqual([second.seed, second.order], [first.seed, first.order]);
  assert.ok(second.responses.every((r) => r.length === 0), "a retake starts blank");
  assert.ok(sets.every((fs) => !fs.classes.has("cp-wrong") && !fs.classes.has("cp-right")));
  assert.ok(sets.every((fs) => fs.querySelector(".cp-answer").hidden), "answers hidden again");
  assert.ok(inputsOf(sets[second.order[0]])[0].focused);
  for (const i of second.order) pick(sets[i], ...{ one: ["b"], many: ["a", "c"], tf: ["false"] }[sets[i].dataset.qid]);
  clock = 5000;
  submit(f);
  assert.equal(submits[1][1], 1000, "latency of the retake from Retake");
  assert.equal(retake.hidden, true, "no attempts left");
  retake.listeners.click();
  assert.equal(submits.length, 2);
});

test("resume restores a draw in progress, its option order and answers; summary shows no answers", () => {
  const make = () => [fieldset("one", ["a", "b", "c"]), fieldset("many", ["a", "b", "c", "d"], "multiple"),
    fieldset("tf", ["true", "false"], "true-false")];
  const assessment = { draw: 2, shuffle: true, questions: [Q.one, Q.many, Q.tf] };
  const sets = make();
  const f = form(sets);
  const changes = [];
  createQuiz({ form: f, assessment, rng: seeded(5), onChange: (a) => changes.push(a) }).start();
  const started = changes.at(-1);
  const optionOrder = (fs) => inputsOf(fs).map((i) => i.value).join("");
  const again = make();
  const g = form(again);
  const quiz = createQuiz({ form: g, assessment, rng: seeded(99) });
  const responses = started.order.map((i) => (i === 2 ? ["false"] : []));
  quiz.resume({ ...started, responses });
  assert.deepEqual(quiz.current(), { seed: started.seed, order: started.order, responses });
  for (const i of started.order) assert.equal(optionOrder(again[i]), optionOrder(sets[i]));
  assert.ok(again.filter((fs, i) => !started.order.includes(i)).every((fs) => fs.hidden));
  assert.ok(again.every((fs) => fs.querySelectorAll(".cp-feedback").every((p) => p.hidden)),
    "no feedback while an attempt is in progress");
  const h = form(make());
  const closed = createQuiz({ form: h, assessment, canRetake: () => true });
  closed.summary({ seed: 1, order: [2, 0], responses: null }, "You have submitted this.");
  assert.equal(closed.done, true);
  assert.equal(h.querySelector(".cp-result").textContent, "You have submitted this.");
  assert.equal(h.querySelector('button[data-cp="retake"]').hidden, false);
  assert.equal(h.querySelector('button[type="submit"]').hidden, true);
});

test("saving during onSubmit keeps the attempt submitted, so a reload does not reopen it", () => {
  // main.js: onSubmit records the attempt, then reports, and its save() stores the answers of
  // every quiz not yet done; the quiz being submitted must already count as done by then.
  const assessments = { "m/post-test": { kind: "post-test", attempts: 1, questions: [Q.one] } };
  const tracker = createTracker({ pages: [], assessments, completion: "all-pages",
    score: scoreAttempt });
  const sets = [fieldset("one", ["a", "b", "c"])];
  const f = form(sets);
  let saved = "";
  const quiz = createQuiz({ form: f, assessment: assessments["m/post-test"],
    onChange: (attempt) => tracker.progress("m/post-test", attempt),
    onSubmit: (attempt) => {
      tracker.submit("m/post-test", attempt);
      if (!quiz.done) tracker.progress("m/post-test", quiz.current());
      saved = encodeState(tracker.snapshot(), assessments);
    } });
  quiz.start();
  pick(sets[0], "b");
  submit(f);
  const restored = decodeState(saved, assessments).records["m/post-test"];
  assert.equal(restored.count, 1);
  assert.equal(restored.attempt.submitted, true);
  assert.equal(tracker.attempt("m/post-test").submitted, true);
});
