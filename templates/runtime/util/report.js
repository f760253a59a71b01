// What the LMS is told, decided from the learner's own state and never from an LMS read alone
// (docs/lms.md, "Never trust an empty read"): where a launch resumes, and which calls a change
// of status needs. Pure: main.js applies the result to the adapter.

/**
 * How a launch starts: `saved` (the decoded state, or null), `resumed` and `bookmark`. Unless the
 * LMS says explicitly that this is a new attempt (`entry` "ab-initio"), whatever state and
 * bookmark it hands back are taken up: some LMSs (Open edX's SCORM XBlock) answer `entry` "".
 */
export function launchPlan(info, decode) {
  if (info.entry === "ab-initio") return { saved: null, resumed: false, bookmark: "" };
  const saved = decode(info.state ?? "");
  const bookmark = info.bookmark ?? "";
  return { saved, resumed: Boolean(saved || bookmark), bookmark };
}

/**
 * The adapter calls that bring the LMS from `before` (the status last reported; null before the
 * first report) to `status` (tracker.status()): [verb, argument] pairs in order.
 * - A score only once it is final (every post-test submitted): an LMS that applies the mastery
 *   score to a partial score would mark a learner still at work as failed (Moodle). A unit
 *   scored but never passed or failed (the follow-up) says so with `status.final`.
 * - pass/fail before complete and before the first report's incomplete, so a SCORM 1.2 status
 *   already decided is never written back down; unless `completeFirst` (an adapter's choice,
 *   `lms.completeFirst`): cmi5 lets completed and passed come in either order (§9.3 orders only
 *   initialized, terminated and failed after passed), and an LMS that keeps one status (the Open
 *   edX cmi5 XBlock, docs/lms.md) ends at the last one it is told.
 */
export function reportCalls(before, status, { completeFirst = false } = {}) {
  const last = before ?? { score: null, success: "unknown", complete: false };
  const calls = [];
  const decided = status.success === "passed" || status.success === "failed";
  const final = decided || status.final === true;
  if (final && Number.isFinite(status.score) && status.score !== last.score) {
    const raw = Math.min(100, Math.max(0, status.score));
    calls.push(["setScore", { raw, min: 0, max: 100, scaled: raw / 100 }]);
  }
  const completes = status.complete && !last.complete;
  if (completes && completeFirst) calls.push(["complete"]);
  if (decided && status.success !== last.success) {
    calls.push([status.success === "passed" ? "pass" : "fail"]);
  }
  if (completes && !completeFirst) calls.push(["complete"]);
  if (before === null && !status.complete) calls.push(["incomplete"]);
  return calls;
}
