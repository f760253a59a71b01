// What a submitted attempt tells the LMS beyond the course score: one interaction per question
// shown (docs/runtime.md, Interactions) and, for a post-test, its module's objective.

/** Record each question of a submitted `attempt`, scored as `score` (quiz.scoreAttempt). */
export function recordAnswers(lms, assessment, attempt, score, { latencyMs = null, timestamp }) {
  attempt.order.forEach((index, pos) => {
    const question = assessment.questions[index];
    if (!question?.interaction) return;
    lms.recordInteraction({
      interaction: question.interaction,
      response: attempt.responses[pos] ?? [],
      correct: score.correct[pos] ?? null,
      latencyMs: Number.isFinite(latencyMs) ? latencyMs : undefined,
      timestamp,
    });
  });
}

/**
 * The cmi.objectives entry of a post-test's module: its kept (best) share `best` (0..1) against
 * `mastery` (percent); null for assessments without an objective or before a score.
 */
export function moduleObjective(assessment, best, mastery) {
  if (!assessment.objective || !Number.isFinite(best)) return null;
  const raw = Math.round(best * 10000) / 100;
  return {
    ...assessment.objective, scaled: best, raw, min: 0, max: 100,
    success: raw >= mastery, completion: true,
  };
}

/** How many attempts of `assessment` are recorded as interactions under `policy`. */
function recordedAttempts(policy, assessment) {
  if (!policy) return Infinity;
  if (!policy.kinds.includes(assessment.kind)) return 0;
  return assessment.kind === "post-test" ? policy.attempts : 1;
}

/**
 * Whether the `attempt`th submitted attempt (1, 2, …) of `assessment` becomes LMS interactions.
 * `policy` is the course data's `course.interactions` ({kinds, attempts}: which kinds of
 * assessment, and how many attempts of a post-test), which the build budgets (builder/commit.py).
 */
export function recordsInteractions(policy, assessment, attempt) {
  return attempt <= recordedAttempts(policy, assessment);
}

/** Questions an attempt of `assessment` shows, each answer one interaction. */
function shownPerAttempt(assessment) {
  const n = assessment.questions.filter((q) => q.interaction).length;
  return assessment.draw && assessment.draw < n ? assessment.draw : n;
}

/**
 * How many interactions the attempts submitted so far have written (`tracker.record(key).count`
 * per assessment): where to append when the LMS cannot tell its `_count`.
 */
export function interactionsWritten(policy, assessments, tracker) {
  let total = 0;
  for (const [key, assessment] of Object.entries(assessments)) {
    const count = tracker.record(key)?.count ?? 0;
    total += Math.min(count, recordedAttempts(policy, assessment)) * shownPerAttempt(assessment);
  }
  return total;
}
