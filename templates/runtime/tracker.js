// Pure learner-progress logic: pages seen, attempts, the score over the post-tests, pass/fail and
// the course's completion rule. No DOM and no LMS here; main.js reports what `status()` returns
// and saves `snapshot()` with util/state.js.
//
// Progress is the share of the course's steps done (util/steps.js), as the learner's bar shows it.
//
// Per assessment a record {count, best, attempt}: submitted attempts so far, the best share of
// the weight earned (0..1, null before a submission) and the attempt shown now, submitted or in
// progress: {seed, order, responses, submitted}. A post-test counts with its best attempt.

import { stepShare } from "./util/steps.js";

export { packSeen, unpackSeen } from "./util/state.js";

/** Total weight of an assessment's scored questions; a drawn one counts `draw` of them. */
export function possibleOf(assessment) {
  const scored = assessment.questions.filter((q) => q.scored !== false);
  const total = scored.reduce((sum, q) => sum + q.weight, 0);
  const n = assessment.questions.length;
  return assessment.draw && assessment.draw < n ? (total * assessment.draw) / n : total;
}

/** Percent (0-100, 2 decimals) of all post-test weight earned, or null before any submission. */
export function courseScore(postTests, results) {
  let earned = 0;
  let possible = 0;
  let any = false;
  for (const [key, assessment] of postTests) {
    const result = results.get(key);
    any ||= Boolean(result);
    earned += result ? result.earned : 0;
    possible += result ? result.possible : possibleOf(assessment);
  }
  if (!any) return null;
  return possible > 0 ? Math.round((earned / possible) * 10000) / 100 : 0;
}

/** "passed"/"failed" once every post-test is submitted, else "unknown". */
export function successOf(score, mastery, allSubmitted) {
  if (!allSubmitted || score === null) return "unknown";
  return score >= mastery ? "passed" : "failed";
}

/**
 * The completion rule of course.yaml. Without post-tests in the package (one module of a split
 * course may have none) "post-test" and "all-pages-and-post-test" fall back to all pages.
 * "all-assessments" (the follow-up unit) asks for every assessment submitted.
 */
export function isComplete(rule, { pagesDone, passed, hasPostTests, allSubmitted = false }) {
  if (rule === "all-assessments") return allSubmitted;
  if (!hasPostTests || rule === "all-pages") return pagesDone;
  if (rule === "post-test") return passed;
  return pagesDone && passed;
}

/** The share (0..1) of the weight earned in a scored attempt, or null if nothing is scored. */
export function ratioOf({ earned, possible }) {
  return possible > 0 ? Math.min(1, earned / possible) : null;
}

/** Tracker over the course data's `pages` and `assessments`; `score` is quiz.scoreAttempt. */
export function createTracker({ pages, assessments, completion, score }) {
  let seen = new Array(pages.length).fill(false);
  const records = new Map();
  const postTests = Object.entries(assessments).filter(([, a]) => a.kind === "post-test");
  // The follow-up unit's score is its retention test's; it is never passed or failed.
  const retention = Object.entries(assessments).filter(([, a]) => a.kind === "retention-test");
  /** The score (percent or null) and success over the post-tests `tests`, by their best attempts. */
  const verdict = (tests, mastery) => {
    const results = new Map();
    for (const [key, assessment] of tests) {
      const best = records.get(key)?.best;
      const possible = possibleOf(assessment);
      if (Number.isFinite(best)) results.set(key, { earned: best * possible, possible });
    }
    const percent = courseScore(tests, results);
    return { percent, success: successOf(percent, mastery, results.size === tests.length) };
  };
  const recordOf = (key) => {
    if (!records.has(key)) records.set(key, { count: 0, best: null, attempt: null });
    return records.get(key);
  };

  const tracker = {
    /** Take over decoded state; seen pages only if the course still has as many pages. */
    restore(state) {
      if (!state || typeof state !== "object") return;
      if (state.n === pages.length && Array.isArray(state.seen)) seen = [...state.seen];
      for (const [key, record] of Object.entries(state.records ?? {})) {
        if (assessments[key] && record?.attempt) records.set(key, { ...record });
      }
    },
    /** Mark a page seen; true if it was not seen before. */
    view(key) {
      const i = pages.findIndex((p) => p.key === key);
      if (i < 0 || seen[i]) return false;
      seen[i] = true;
      return true;
    },
    seen(key) {
      return seen[pages.findIndex((p) => p.key === key)] === true;
    },
    /** Keep the attempt in progress (its draw, seed and answers so far). */
    progress(key, attempt) {
      if (!assessments[key]) return;
      recordOf(key).attempt = { ...attempt, submitted: false };
    },
    /** Record a submitted attempt; returns its score. */
    submit(key, attempt) {
      const assessment = assessments[key];
      if (!assessment) return null;
      const result = score(assessment, attempt);
      const record = recordOf(key);
      const ratio = ratioOf(result);
      record.count += 1;
      if (ratio !== null) record.best = Math.max(record.best ?? 0, ratio);
      record.attempt = { ...attempt, submitted: true };
      return result;
    },
    attempt(key) {
      return records.get(key)?.attempt ?? null;
    },
    record(key) {
      return records.get(key) ?? null;
    },
    /** Whether another attempt may start: post-tests only, while `attempts` (0: any) remain. */
    canRetake(key) {
      const assessment = assessments[key];
      if (assessment?.kind !== "post-test") return false;
      const limit = assessment.attempts ?? 0;
      return limit === 0 || (records.get(key)?.count ?? 0) < limit;
    },
    snapshot() {
      return { seen: [...seen], records: Object.fromEntries(records) };
    },
    /**
     * Ids of the modules finished, in course order: the course's completion rule applied to each
     * module alone (its `page` sections seen, its post-tests passed), as a package of only that
     * module would decide. The survey belongs to no module.
     */
    modulesDone(mastery) {
      const ids = [...new Set(pages.map((p) => p.module).filter(Boolean))];
      return ids.filter((id) => {
        const tests = postTests.filter(([, a]) => a.module === id);
        const pagesDone = pages.every((p, i) => p.module !== id || p.kind !== "page" || seen[i]);
        const passed = verdict(tests, mastery).success === "passed";
        return isComplete(completion, { pagesDone, passed, hasPostTests: tests.length > 0 });
      });
    },
    /** Progress, score (percent or null), success and completion against `mastery` (0-100). */
    status(mastery) {
      const { percent, success } = verdict(postTests, mastery);
      const pagesDone = pages.every((p, i) => p.kind !== "page" || seen[i]);
      const count = seen.filter(Boolean).length;
      const allSubmitted = Object.keys(assessments).every((k) => (records.get(k)?.count ?? 0) > 0);
      const complete = isComplete(completion, {
        pagesDone, passed: success === "passed", hasPostTests: postTests.length > 0, allSubmitted,
      });
      const at = { assessments, tracker, mastery, rule: completion };
      const status = {
        seen: count,
        total: pages.length,
        // The course's steps, as the learner's bar counts them (util/steps.js).
        progress: stepShare(pages, at, complete),
        score: percent,
        success,
        complete,
      };
      if (retention.length > 0 && postTests.length === 0) {
        // A score without pass or fail, final once the retention test is submitted.
        const kept = verdict(retention, mastery);
        status.score = kept.percent;
        status.final = kept.success !== "unknown";
      }
      return status;
    },
  };
  return tracker;
}
