// Assessments and knowledge checks: arranges the questions of an attempt, reads and scores the
// answers, and shows the result. Scoring (`scoreAttempt`) and drawing (`pickOrder`) are pure.
//
// An attempt is {order, responses}: `order` lists the authored indexes of the questions shown,
// in the order shown; `responses[pos]` is the response (an array of strings) to `order[pos]`.
//
// Each question type is a module exporting read(fs, q), fill(fs, response, q),
// answered(q, response), credit(q, response) -> 0..1, and optionally reveal(fs, response, q),
// shuffle(fs, permute) and bind(fs, q). A new type is one more module and one line below.

import * as choice from "./questions/choice.js";
import * as scenario from "./questions/scenario.js";
import * as select from "./questions/select.js";
import * as text from "./questions/text.js";

/** The question types the runtime can show, by `type`. */
export const TYPES = {
  single: choice, multiple: choice, "true-false": choice, likert: choice,
  matching: select, sequencing: select, "fill-in": text, numeric: text, scenario,
};

/** A random permutation of 0..n-1 (Fisher-Yates); `rng` returns a number in [0, 1). */
export function permutation(n, rng = Math.random) {
  const out = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i -= 1) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The authored indexes an attempt shows: `draw` of them at random, shuffled if asked. */
export function pickOrder(n, { draw = null, shuffle = false } = {}, rng = Math.random) {
  const drawing = Number.isInteger(draw) && draw > 0 && draw < n;
  if (!drawing && !shuffle) return [...Array(n).keys()];
  const order = permutation(n, rng).slice(0, drawing ? draw : n);
  return shuffle ? order : order.sort((a, b) => a - b);
}

/**
 * Score an attempt: the summed weights of the scored questions shown, and of the credit earned
 * on each (a scenario may earn part); `correct[pos]` is true for full credit, null if unscored.
 */
export function scoreAttempt(assessment, attempt) {
  let earned = 0;
  let possible = 0;
  const correct = attempt.order.map((index, pos) => {
    const question = assessment.questions[index];
    const type = question && TYPES[question.type];
    if (!type || question.scored === false) return null;
    const credit = type.credit(question, attempt.responses[pos] ?? []);
    possible += question.weight;
    earned += question.weight * credit;
    return credit === 1;
  });
  return { earned, possible, correct };
}

/** The default result message of a scored attempt. */
export function describeScore(score) {
  const right = score.correct.filter((c) => c === true).length;
  const scored = score.correct.filter((c) => c !== null).length;
  if (scored === 1) return right ? "Correct." : "Not quite. See the answer above.";
  const pct = score.possible > 0 ? Math.round((score.earned / score.possible) * 100) : 0;
  return `You answered ${right} of ${scored} questions correctly (${pct}%).`;
}

/**
 * Drive one `form[data-quiz]`: `start()` arranges a fresh attempt, `show(attempt)` a submitted
 * one. `onSubmit(attempt)` runs before the result is shown, so `describe` sees its effect.
 */
export function createQuiz({ form, assessment, onSubmit = () => {}, describe = describeScore,
  rng = Math.random }) {
  const sets = [...form.querySelectorAll("fieldset.cp-q")];
  const questionOf = (i) => assessment.questions[i];
  const typeOf = (i) => TYPES[questionOf(i)?.type] ?? null;
  const button = form.querySelector('button[type="submit"]');
  const result = form.querySelector(".cp-result");
  const actions = form.querySelector(".cp-quiz-actions");
  let order = sets.map((_, i) => i);
  let done = false;

  for (const details of form.querySelectorAll(".cp-answer")) details.hidden = true;

  function arrange(next) {
    order = next;
    for (const fs of sets) fs.hidden = true;
    for (const i of order) {
      form.insertBefore(sets[i], actions);
      sets[i].hidden = false;
    }
  }

  function start() {
    if (done) return;
    arrange(pickOrder(sets.length, assessment, rng));
    for (const i of order) {
      if (assessment.shuffle) typeOf(i)?.shuffle?.(sets[i], (n) => permutation(n, rng));
      typeOf(i)?.bind?.(sets[i], questionOf(i));
    }
    if (button) button.hidden = false;
  }

  function show(attempt) {
    done = true;
    arrange(attempt.order);
    const score = scoreAttempt(assessment, attempt);
    attempt.order.forEach((i, pos) => {
      const fs = sets[i];
      const response = attempt.responses[pos] ?? [];
      const type = typeOf(i);
      type?.fill(fs, response, questionOf(i));
      type?.reveal?.(fs, response, questionOf(i));
      for (const input of fs.querySelectorAll("input, select")) input.disabled = true;
      const right = score.correct[pos];
      if (right !== null) fs.classList.add(right ? "cp-right" : "cp-wrong");
      // With one question the result line below says the same; say it once.
      const verdict = fs.querySelector(".cp-verdict");
      if (verdict && right !== null && attempt.order.length > 1) {
        verdict.textContent = right ? "Correct." : "Incorrect.";
        verdict.hidden = false;
      }
      const details = fs.querySelector(".cp-answer");
      if (details) {
        details.hidden = false;
        details.open = right === false;
      }
    });
    if (button) button.hidden = true;
    if (result) result.textContent = describe(score, attempt);
    return score;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (done) return;
    const responses = order.map((i) => typeOf(i)?.read(sets[i], questionOf(i)) ?? []);
    const missing = order.filter((i, pos) => typeOf(i)
      && !typeOf(i).answered(questionOf(i), responses[pos]));
    if (missing.length > 0) {
      if (result) {
        result.textContent = missing.length === 1 && order.length === 1
          ? "Please choose an answer first."
          : `Please answer every question: ${missing.length} not answered yet.`;
      }
      sets[missing[0]].querySelector("input, select")?.focus();
      return;
    }
    const attempt = { order: [...order], responses };
    onSubmit(attempt);
    show(attempt);
  });

  return { start, show, get done() { return done; } };
}
