// Every assessment form of the page, set up from the learner state: a submitted attempt shown
// with its result, one in progress resumed, else a new attempt.

import { createQuiz } from "./quiz.js";
import { t } from "../util/messages.js";

/**
 * Wire each `form[data-quiz]` of `doc` to its assessment in `data`, into `quizzes` (assessment
 * key -> {quiz, section key}). `describe(assessment, score)` words the result line;
 * `onSubmit(key, assessment, attempt, latencyMs)` and `onRetake()` report.
 */
export function setUpQuizzes({ doc, data, tracker, now, describe, onSubmit, onRetake, quizzes }) {
  for (const form of doc.querySelectorAll("form[data-quiz]")) {
    const key = form.dataset.quiz;
    const assessment = data.assessments[key];
    if (!assessment) continue;
    const quiz = createQuiz({
      form, assessment, now,
      describe: (score) => describe(assessment, score),
      canRetake: () => tracker.canRetake(key),
      onSubmit: (attempt, latencyMs) => onSubmit(key, assessment, attempt, latencyMs),
      onChange: (attempt) => tracker.progress(key, attempt),
      onRetake,
    });
    quizzes.set(key, { quiz, section: form.closest("section.cp-page")?.dataset.key });
    const attempt = tracker.attempt(key);
    if (attempt?.submitted && attempt.responses) quiz.show(attempt);
    else if (attempt?.submitted) {
      const best = tracker.record(key)?.best;
      const score = Number.isFinite(best)
        ? ` ${t("runtime.your_score", { percent: Math.round(best * 100) })}` : "";
      quiz.summary(attempt, `${t("runtime.submitted")}${score}`);
    } else if (attempt) quiz.resume(attempt);
    else quiz.start();
  }
  return quizzes;
}
