// xAPI (Tin Can) adapter: bookmark, state and status stay in browser storage as with lms/web.js;
// the LMS's launch parameters (endpoint, auth, actor, registration) are exposed as `launch` for
// the statement sender. Without them the course runs as plain web content.

import { readLaunch } from "../xapi/launch.js";
import { createAdapter as createWebAdapter } from "./web.js";

/**
 * The storage scope of one learner's attempt: the registration, else the actor, so two learners
 * launched in the same browser do not resume each other's attempt.
 */
export function attemptKey(courseId, launch) {
  if (!launch) return courseId;
  const who = launch.registration
    ?? (launch.actor.account
      ? `${launch.actor.account.homePage}|${launch.actor.account.name}`
      : launch.actor.mbox);
  return `${courseId}|${who}`;
}

/** The xAPI adapter: the web adapter's interface plus `launch` (null without a valid launch). */
export function createAdapter({ win = globalThis.window, now, storage, courseId = "" } = {}) {
  const { launch, problem } = readLaunch(win?.location?.search ?? "");
  const web = createWebAdapter({ win, now, storage, courseId: attemptKey(courseId, launch) });
  if (problem) {
    web.errors.push({ call: "launch", element: "location.search", code: -1, message: problem });
  }
  let info = null;
  return {
    ...web,
    launch,

    /** As the web adapter; connected (an LMS launched us) only with a valid launch. */
    start() {
      if (info) return info;
      const local = web.start();
      const learnerId = launch?.actor.account?.name ?? null;
      const learnerName = launch?.actor.name ?? null;
      info = { ...local, connected: launch !== null, learnerId, learnerName };
      return info;
    },
  };
}
