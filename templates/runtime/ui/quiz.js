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
import * as freeText from "./questions/open.js";
import * as scenario from "./questions/scenario.js";
import * as select from "./questions/select.js";
import * as text from "./questions/text.js";
import { permutation, pickOrder, seeded } from "./draw.js";
import { clearFeedback, hideAnswers, showFeedback } from "./feedback.js";
import { t } from "../util/messages.js";

export { permutation, pickOrder, seeded };

/** The question types the runtime can show, by `type`. */
export const TYPES = {
  single: choice, multiple: choice, "true-false": choice, likert: choice,
  matching: select, sequencing: select, "fill-in": text, numeric: text, scenario,
  text: freeText,
};

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
  if (scored === 1) return t(right ? "runtime.one_right" : "runtime.one_wrong");
  const pct = score.possible > 0 ? Math.round((score.earned / score.possible) * 100) : 0;
  return t("runtime.scored", { right, scored, percent: pct });
}

/**
 * Drive one `form[data-quiz]`. `start()` begins a new attempt (a new draw and seed), `resume()`
 * goes on with one in progress, `show(attempt)` shows a submitted one for review, `summary(text)`
 * a submitted one whose answers were not kept. `onChange(attempt)` runs on every answer,
 * `onSubmit(attempt, latencyMs)` before the result is shown (so `describe` sees its effect),
 * `onRetake()` when Retake is chosen; `canRetake()` says whether Retake is offered.
 */
export function createQuiz({ form, assessment, onSubmit = () => {}, onChange = () => {},
  onRetake = () => {}, canRetake = () => false, describe = describeScore, rng = Math.random,
  now = () => Date.now() }) {
  const sets = [...form.querySelectorAll("fieldset.cp-q")];
  const questionOf = (i) => assessment.questions[i];
  const typeOf = (i) => TYPES[questionOf(i)?.type] ?? null;
  const button = form.querySelector('button[type="submit"]');
  const retake = form.querySelector('button[data-cp="retake"]');
  const result = form.querySelector(".cp-result");
  const actions = form.querySelector(".cp-quiz-actions");
  let order = sets.map((_, i) => i);
  let seed = 0;
  let done = false;
  let shownAt = null;

  hideAnswers(form);

  function arrange(next) {
    order = next;
    for (const fs of sets) fs.hidden = true;
    for (const i of order) {
      form.insertBefore(sets[i], actions);
      sets[i].hidden = false;
    }
  }

  const read = () => order.map((i) => typeOf(i)?.read(sets[i], questionOf(i)) ?? []);
  const current = () => ({ seed, order: [...order], responses: read() });

  /** Lay out attempt `attempt` (order and option order) with its answers, open for answering. */
  function open(attempt) {
    done = false;
    seed = attempt.seed;
    arrange(attempt.order);
    const shuffle = seeded(seed);
    attempt.order.forEach((i, pos) => {
      const fs = sets[i];
      const type = typeOf(i);
      if (assessment.shuffle) type?.shuffle?.(fs, (n) => permutation(n, shuffle));
      type?.fill(fs, attempt.responses?.[pos] ?? [], questionOf(i));
      // No feedback while answering (a scenario's bind reveals its own path below).
      type?.reveal?.(fs, [], questionOf(i));
      type?.bind?.(fs, questionOf(i));
    });
    for (const fs of sets) {
      for (const input of fs.querySelectorAll("input, select, textarea")) input.disabled = false;
      clearFeedback(fs);
    }
    if (button) button.hidden = false;
    if (retake) retake.hidden = true;
    if (result) result.textContent = "";
  }

  function start() {
    const pickSeed = Math.floor(rng() * 36 ** 4);
    open({ seed: pickSeed, order: pickOrder(sets.length, assessment, rng), responses: null });
    shownAt = null;
    onChange(current());
  }

  function close(text) {
    done = true;
    for (const input of form.querySelectorAll("input, select, textarea")) input.disabled = true;
    if (button) button.hidden = true;
    if (retake) retake.hidden = !canRetake();
    if (result) result.textContent = text;
  }

  function show(attempt) {
    open(attempt);
    const score = scoreAttempt(assessment, attempt);
    attempt.order.forEach((i, pos) => {
      const fs = sets[i];
      typeOf(i)?.reveal?.(fs, attempt.responses[pos] ?? [], questionOf(i));
      // With one question the result line below says the same; say it once.
      showFeedback(fs, score.correct[pos], { verdict: attempt.order.length > 1 });
    });
    close(describe(score, attempt));
    return score;
  }

  form.addEventListener("change", () => {
    if (!done) onChange(current());
  });
  retake?.addEventListener("click", () => {
    if (!done || !canRetake()) return;
    start();
    shownAt = now();
    onRetake();
    sets[order[0]]?.querySelector("input, select, textarea")?.focus();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (done) return;
    const responses = read();
    const missing = order.filter((i, pos) => typeOf(i)
      && !typeOf(i).answered(questionOf(i), responses[pos]));
    if (missing.length > 0) {
      if (result) {
        result.textContent = missing.length === 1 && order.length === 1
          ? t("runtime.answer_first")
          : t("runtime.answer_all", { missing: missing.length });
      }
      sets[missing[0]].querySelector("input, select, textarea")?.focus();
      return;
    }
    const attempt = { seed, order: [...order], responses };
    // Submitted from here on: main.js saves during onSubmit and must not store it as in progress.
    done = true;
    onSubmit(attempt, shownAt === null ? null : Math.max(0, now() - shownAt));
    show(attempt);
    // Submit hides itself; keep keyboard focus on the result rather than losing it to the body.
    if (result) {
      result.tabIndex = -1;
      result.focus?.();
    }
  });

  return {
    start,
    show,
    /** Go on with an attempt in progress (its answers may be missing: `responses` null). */
    resume(attempt) {
      open(attempt);
    },
    /** A submitted attempt whose answers were not kept: its questions, closed, and `text`. */
    summary(attempt, text) {
      seed = attempt.seed;
      arrange(attempt.order);
      close(text);
    },
    /** The attempt on screen now, with the answers given so far. */
    current,
    /** The form has just become visible: latency counts from the first time. */
    visible(at = now()) {
      shownAt ??= at;
    },
    get done() { return done; },
  };
}
