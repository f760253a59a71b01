// What a submitted attempt tells the xAPI hooks (xapi/tracking.js, docs/xapi.md "Tracking"):
// one `answered` per question shown, then the score of a pre-test, post-test or retention test.
// It ships in every package (main.js imports it statically); the hooks themselves only with xAPI.

/**
 * Report a submitted `attempt` of assessment `key`, scored as `score` (quiz.scoreAttempt), to
 * `xapi`. A post-test passes at `mastery` percent or above; a pre-test or a retention test never
 * passes or fails.
 */
export function reportAttempt(xapi, { key, assessment, attempt, score, latencyMs, mastery }) {
  attempt.order.forEach((index, pos) => {
    const question = assessment.questions[index];
    if (!question) return;
    xapi.answered({ question, response: attempt.responses[pos] ?? [],
      correct: score.correct[pos] ?? null, durationMs: latencyMs, assessmentKey: key });
  });
  const { kind } = assessment;
  if (kind !== "pre-test" && kind !== "post-test" && kind !== "retention-test") return;
  const scaled = score.possible > 0 ? score.earned / score.possible : 0;
  xapi.assessmentScored({ assessmentKey: key, kind, scaled, raw: score.earned, min: 0,
    max: score.possible, durationMs: latencyMs,
    // Percent to 2 decimals, as the course score and the module objective compare it with mastery.
    passed: kind === "post-test" ? Math.round(scaled * 10000) / 100 >= mastery : null });
}
