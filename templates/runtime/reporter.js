// What the course tells the LMS (and the LRS) as the learner goes: state saved and committed at
// every report, status and score by util/report.js's rules, each submission's interactions and
// module objective, and the end of the session once (docs/runtime.md, Lifecycle; docs/lms.md).

import {
  interactionsWritten, moduleObjective, recordAnswers, recordsInteractions,
} from "./util/answers.js";
import { reportCalls } from "./util/report.js";
import { encodeState } from "./util/state.js";
import { reportAttempt } from "./util/xapi-answers.js";

/**
 * A reporter over the adapter `lms`, the xAPI hooks `xapi` (or null), the `tracker` and the
 * course `data`; `quizzes` (assessment key -> {quiz}) is read when saving attempts in progress.
 * `onCommit(result, {state, bookmark, final})` hears each commit's result (false when the LMS
 * refused it) with what it carried; `final` for the end of the session.
 */
export function createReporter({
  lms, xapi, tracker, data, mastery, now, quizzes, onCommit = () => {},
}) {
  const policy = data.course.interactions;
  let reported = null; // the status last told to the LMS; null before the first report
  let finished = false;
  let bookmark = ""; // the page last told to the LMS

  // Where to append interactions if the LMS cannot say how many it holds (_count reads "").
  lms.seedInteractions(interactionsWritten(policy, data.assessments, tracker));

  /** Save the learner state, the answers of attempts in progress included; returns it. */
  function save() {
    for (const [key, { quiz }] of quizzes) if (!quiz.done) tracker.progress(key, quiz.current());
    const state = encodeState(tracker.snapshot(), data.assessments, data.stateLevel ?? 0);
    lms.saveState(state);
    return state;
  }

  /** Save the learner state and commit it; `onCommit` hears whether the LMS took it. */
  function commit() {
    const state = save();
    onCommit(lms.commit(), { state, bookmark, final: false });
  }

  /**
   * Tell the LMS what changed since the last report, save the state and commit: save as you go,
   * so a closed tab loses at most the last page. The first report tells everything the learner's
   * own state has reached, since an LMS may answer reads with "".
   */
  function report() {
    const status = tracker.status(mastery);
    lms.setProgress(status.progress);
    xapi?.progressed(status.progress);
    for (const module of tracker.modulesDone(mastery)) xapi?.moduleCompleted(module);
    if (status.complete) xapi?.courseCompleted();
    const order = { completeFirst: lms.completeFirst === true };
    for (const [verb, arg] of reportCalls(reported, status, order)) lms[verb](arg);
    commit();
    reported = status;
    return status;
  }

  return {
    commit,
    report,
    /** The learner is on `page`: the bookmark, then a report. */
    at(page) {
      xapi?.pageViewed(page);
      lms.setBookmark(page.key);
      bookmark = page.key;
      report();
    },
    /** After a submission: each answer as an interaction, the module's objective, a report. */
    submitted(key, assessment, attempt, latencyMs) {
      const score = tracker.submit(key, attempt);
      if (recordsInteractions(policy, assessment, tracker.record(key)?.count ?? 1)) {
        recordAnswers(lms, assessment, attempt, score, { latencyMs, timestamp: now() });
      }
      if (xapi) reportAttempt(xapi, { key, assessment, attempt, score, latencyMs, mastery });
      const objective = moduleObjective(assessment, tracker.record(key)?.best, mastery);
      if (objective) lms.setObjective(objective);
      report();
    },
    /**
     * End the session once. `leaving` is true when the learner chose Exit: in a package of
     * several units (one SCO per module) the LMS is then asked to go on to the next unit, or to
     * end after the last (docs/runtime.md, Units). Returns what the adapter's `finish` does:
     * false when the LMS refused to save the session.
     */
    finish({ leaving = false } = {}) {
      if (finished) return undefined;
      finished = true;
      const state = save();
      const complete = tracker.status(mastery).complete;
      if (!complete) xapi?.suspended();
      xapi?.terminated({ leaving });
      const unit = data.unit;
      const request = leaving && unit ? (unit.index + 1 < unit.count ? "continue" : "exitAll") : "";
      const result = lms.finish({ suspend: !complete, request });
      onCommit(result, { state, bookmark, final: true });
      return result;
    },
  };
}
