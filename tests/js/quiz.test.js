import { test } from "node:test";
import assert from "node:assert/strict";
import * as choice from "../../templates/runtime/ui/questions/choice.js";
import * as scenario from "../../templates/runtime/ui/questions/scenario.js";
import * as select from "../../templates/runtime/ui/questions/select.js";
import * as text from "../../templates/runtime/ui/questions/text.js";
import {
  createQuiz, describeScore, permutation, pickOrder, scoreAttempt, seeded, TYPES,
} from "../../templates/runtime/ui/quiz.js";
import { createTracker } from "../../templates/runtime/tracker.js";
import { decodeState, encodeState } from "../../templates/runtime/util/state.js";
import { readFileSync } from "node:fs";
import { setMessages } from "../../templates/runtime/util/messages.js";

// The pages speak the course's language; these tests read the English catalogue.
setMessages(JSON.parse(readFileSync(new URL("../../templates/messages/en.json", import.meta.url))));

/**
 * A tiny stand-in for DOM elements: each matches the selectors listed in `is` and supports
 * what the quiz code uses (query, closest, insertBefore/append, events, classList, dataset).
 */
class El {
  constructor(is = [], props = {}) {
    Object.assign(this, { is, children: [], parent: null, hidden: false, dataset: {}, ...props });
    this.classes = new Set();
    this.classList = {
      add: (c) => this.classes.add(c),
      toggle: (c, on) => (on ? this.classes.add(c) : this.classes.delete(c)),
    };
    this.listeners = {};
  }
  add(...kids) {
    for (const kid of kids) this.append(kid);
    return this;
  }
  append(kid) {
    if (kid.parent) kid.parent.children.splice(kid.parent.children.indexOf(kid), 1);
    kid.parent = this;
    this.children.push(kid);
  }
  insertBefore(kid, ref) {
    if (kid.parent) kid.parent.children.splice(kid.parent.children.indexOf(kid), 1);
    kid.parent = this;
    this.children.splice(this.children.indexOf(ref), 0, kid);
  }
  querySelectorAll(sel) {
    const out = [];
    const any = sel.split(", ");
    const walk = (el) => el.children.forEach((k) => {
      if (any.some((s) => k.is.includes(s))) out.push(k);
      walk(k);
    });
    walk(this);
    return out;
  }
  querySelector(sel) {
    return this.querySelectorAll(sel)[0] ?? null;
  }
  closest(sel) {
    for (let el = this; el; el = el.parent) if (el.is.includes(sel)) return el;
    return null;
  }
  addEventListener(type, fn) {
    this.listeners[type] = fn;
  }
  focus() {
    this.focused = true;
  }
}

/** A fieldset for a choice question with options `ids`, as templates/pages renders it. */
function fieldset(qid, ids, type = "single") {
  const list = new El([".cp-choices"]);
  for (const id of ids) {
    const input = new El(["input"], { value: id, checked: false, disabled: false });
    list.add(new El([".cp-choice"]).add(input, new El([".cp-feedback"], { dataset: { for: id }, hidden: true })));
  }
  const fs = new El(["fieldset.cp-q"], { dataset: { qid, type } });
  return fs.add(list, new El([".cp-verdict"], { hidden: true }), new El([".cp-answer"], { open: false }));
}

function form(sets) {
  const actions = new El([".cp-quiz-actions"]).add(new El(['button[type="submit"]'], { hidden: true }),
    new El(['button[data-cp="retake"]'], { hidden: true }));
  return new El(["form"]).add(...sets, actions, new El([".cp-result"], { textContent: "" }));
}

const Q = {
  one: { id: "one", type: "single", weight: 1, choices: ["a", "b", "c"], correct: ["b"] },
  many: { id: "many", type: "multiple", weight: 2, choices: ["a", "b", "c"], correct: ["a", "c"] },
  tf: { id: "tf", type: "true-false", weight: 1, choices: ["true", "false"], correct: ["false"] },
};
const pick = (fs, ...ids) => fs.querySelectorAll("input").forEach((i) => { i.checked = ids.includes(i.value); });
const submit = (f) => f.listeners.submit({ preventDefault() {} });
const inputsOf = (fs) => fs.querySelectorAll("input");

test("permutation returns every index once", () => {
  for (const seed of [1, 2, 3]) {
    const p = permutation(7, seeded(seed));
    assert.deepEqual([...p].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6]);
  }
  assert.deepEqual(permutation(0), []);
});

test("pickOrder keeps authored order unless asked to draw or shuffle", () => {
  assert.deepEqual(pickOrder(4, {}), [0, 1, 2, 3]);
  assert.deepEqual(pickOrder(4, { draw: 4 }, () => 0), [0, 1, 2, 3]);
  assert.deepEqual(pickOrder(4, { draw: 9 }, () => 0), [0, 1, 2, 3]);
});

test("pickOrder draws distinct questions, in authored order unless shuffled", () => {
  const drawn = pickOrder(10, { draw: 4 }, seeded(7));
  assert.equal(drawn.length, 4);
  assert.equal(new Set(drawn).size, 4);
  assert.deepEqual(drawn, [...drawn].sort((a, b) => a - b));
  assert.ok(drawn.every((i) => i >= 0 && i < 10));
  const shuffled = pickOrder(10, { shuffle: true }, seeded(7));
  assert.notDeepEqual(shuffled, [...Array(10).keys()]);
  assert.deepEqual(pickOrder(10, { shuffle: true }, seeded(7)), shuffled);
});

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

test("scoreAttempt sums the weights of the questions shown and skips unscored ones", () => {
  const likert = { id: "l", type: "likert", weight: 1, scored: false, choices: ["a", "b"] };
  const assessment = { questions: [Q.one, Q.many, Q.tf, likert, { id: "z", type: "zzz", weight: 1 }] };
  const all = { order: [0, 1, 2, 3, 4], responses: [["b"], ["a", "c"], ["true"], ["a"], ["x"]] };
  assert.deepEqual(scoreAttempt(assessment, all),
    { earned: 3, possible: 4, correct: [true, true, false, null, null] });
  const drawn = { order: [2, 0], responses: [["false"], ["c"]] };
  assert.deepEqual(scoreAttempt(assessment, drawn), { earned: 1, possible: 2, correct: [true, false] });
  const unscored = { questions: [{ ...Q.one, scored: false }] };
  assert.deepEqual(scoreAttempt(unscored, { order: [0], responses: [["b"]] }).possible, 0);
});

test("free text is never scored, never right or wrong, and may be left empty", () => {
  const open = { id: "o", type: "text", weight: 1, scored: false, maxLength: 400 };
  const assessment = { kind: "survey", questions: [open] };
  for (const responses of [[["I will ask for an assessment"]], [[]]]) {
    assert.deepEqual(scoreAttempt(assessment, { order: [0], responses }),
      { earned: 0, possible: 0, correct: [null] });
  }
  assert.equal(TYPES.text.answered(open, []), true);
  assert.equal(TYPES.text.credit({ ...open, scored: true }, ["anything"]), 0);
  const state = { seen: [false], records: { survey: { count: 1, best: null,
    attempt: { seed: 1, order: [0], responses: [["a | b ~ c\nd"]], submitted: true } } } };
  const back = decodeState(encodeState(state, { survey: assessment }), { survey: assessment });
  assert.deepEqual(back.records.survey.attempt.responses, [["a | b ~ c\nd"]]);
});

test("describeScore counts questions and gives the weighted percentage", () => {
  assert.equal(describeScore({ earned: 3, possible: 4, correct: [true, true, false] }),
    "You answered 2 of 3 questions correctly (75%).");
  assert.equal(describeScore({ earned: 1, possible: 1, correct: [true] }), "Correct.");
  assert.match(describeScore({ earned: 0, possible: 1, correct: [false] }), /^Not quite/);
});

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
