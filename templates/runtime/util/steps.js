// The course's steps, the one measure of progress: what the header's bar shows (ui/progress.js)
// and what the LMS and the LRS are told (cmi.progress_measure, the `progressed` statements;
// tracker.js). Each section is a step: done once seen, except a post-test the completion rule
// asks to pass (done once passed) and an assessment of the follow-up (done once submitted).

/** Rules under which a post-test counts only once passed (tracker.js, isComplete). */
const PASS_NEEDED = new Set(["post-test", "all-pages-and-post-test"]);

/** The mark of `page`: "seen", "done", "passed", "failed" or "" (not yet opened). */
export function markOf(page, tracker, mastery) {
  const record = tracker.record(page.key);
  if (page.kind === "post-test" && record?.count) {
    return Math.round((record.best ?? 0) * 10000) / 100 >= mastery ? "passed" : "failed";
  }
  if ((page.kind === "pre-test" || page.kind === "survey") && record?.count) return "done";
  return tracker.seen(page.key) ? "seen" : "";
}

/**
 * Whether the section `page` is a step done under the completion `rule`: a post-test the rule
 * asks for once passed, an assessment of the follow-up ("all-assessments") once submitted, any
 * other section once seen.
 */
export function stepDone(page, { assessments, tracker, mastery, rule }) {
  if (page.kind === "post-test" && PASS_NEEDED.has(rule)) {
    return markOf(page, tracker, mastery) === "passed";
  }
  if (rule === "all-assessments" && assessments[page.key]) {
    return (tracker.record(page.key)?.count ?? 0) > 0;
  }
  return tracker.seen(page.key);
}

/**
 * The share of steps done, 0..1: 1 only once the course is `complete`, at most 0.99 before (a
 * course whose every page was seen but whose post-test was failed is not done).
 */
export function stepShare(pages, at, complete) {
  if (complete) return 1;
  const done = pages.filter((p) => stepDone(p, at)).length;
  return Math.min(0.99, pages.length ? done / pages.length : 0);
}
