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
