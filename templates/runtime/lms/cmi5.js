// cmi5 AU adapter (cmi5 §7, §8; docs/cmi5.md). Learner state stays in browser storage as with
// lms/web.js, scoped to the launch's registration and AU. start() is async: it reads the launch
// parameters, POSTs once to the fetch URL for the token, reads LMS.LaunchData and the learner's
// preferences; then `createTracking` opens the session's statements (cmi5/tracking.js), and the
// course's completion and success reach them through complete(), pass() and fail().

import { readCmi5Launch } from "../cmi5/launch.js";
import { fetchToken, readLaunchData, readPreferences } from "../cmi5/lms.js";
import { createCmi5Tracking } from "../cmi5/tracking.js";
import { EXTENSIONS } from "../xapi/vocabulary.js";
import { createAdapter as createWebAdapter } from "./web.js";

/** cmi5 §8.2.1: the token is sent with HTTP's Basic-scheme (RFC 1945 §11.1). */
const AUTH_SCHEME = "Basic";

function sessionStorageOf(win) {
  try {
    return win?.sessionStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * The AU's own id, as cmi5.xml has it (`<course IRI>/<unit id>`, builder/targets/cmi5.py; the
 * unit is the course data's `course.unit`): what the AU keeps is keyed on it, not on the launch's
 * activityId, which the Open edX cmi5 XBlock makes the same for every AU (docs/lms.md).
 */
export function auIdOf(courseId, unitId) {
  return unitId ? `${String(courseId).replace(/\/+$/, "")}/${unitId}` : courseId;
}

/** The cmi5 adapter: the web adapter's interface, an async start() and createTracking(). */
export function createAdapter({ win = globalThis.window, now, storage, courseId = "", unitId = "",
  fetch = globalThis.fetch?.bind(globalThis), session = sessionStorageOf(win) } = {}) {
  const { launch, problem } = readCmi5Launch(win?.location?.search ?? "");
  const auId = auIdOf(courseId, unitId);
  const scope = launch ? `${auId}|${launch.registration}` : courseId;
  const web = createWebAdapter({ win, now, storage, courseId: scope });
  if (problem) {
    web.errors.push({ call: "launch", element: "location.search", code: -1, message: problem });
  }
  let cmi5 = null;
  let tracking = null;
  let info = null;
  let score = null;

  async function connect() {
    const token = await fetchToken({ fetchUrl: launch.fetchUrl, session, fetch });
    // §8.2.1: the token goes into the Authorization header as-is, after the scheme.
    const auth = `${AUTH_SCHEME} ${token}`;
    const launchData = await readLaunchData({ launch, auth, fetch,
      sessionIdKey: EXTENSIONS.sessionid });
    const preferences = await readPreferences({ launch, auth, fetch });
    return { launch, auth, launchData, preferences };
  }

  return {
    ...web,
    /** Completed before passed or failed in one report (util/report.js; docs/lms.md). */
    completeFirst: true,
    /** Only without an LMS: a launch's token is spent, so a reload cannot open a session. */
    get reopens() {
      return info !== null && !info.connected;
    },

    /** Connected once the LMS gave a token and LMS.LaunchData; `notice` says why not. */
    async start() {
      if (info) return info;
      if (!launch) {
        info = { ...web.start(), connected: false };
        return info;
      }
      try {
        cmi5 = await connect();
      } catch (error) {
        web.errors.push({ call: "start", element: "fetch", code: error?.code ?? 0,
          message: String(error?.message ?? error) });
        // §8.2.3: error 1 is a used or expired launch; anything else, an LMS we cannot use.
        const notice = error?.code === 1 ? "runtime.cmi5.refused" : "runtime.cmi5.unreachable";
        info = { ...web.start(), connected: false, notice };
        return info;
      }
      const { launchData, preferences } = cmi5;
      info = {
        ...web.start(),
        connected: true,
        learnerId: launch.actor.account.name,
        // For the certificate of completion (ui/finish.js), when the launch names the learner.
        learnerName: launch.actor.name ?? null,
        // §10.2.4: the LMS's masteryScore (0..1) decides passed and failed when it gives one.
        // (0..1 with up to 4 decimals, as a percentage with up to 2: 0.7 is 70, not 70.00…01.)
        masteryScore: launchData.masteryScore === null ? null
          : Math.round(launchData.masteryScore * 10000) / 100,
        launchMode: launchData.launchMode,
        // §11.1: the languages the learner prefers, in order (the course has one language).
        languages: preferences.languages,
      };
      return info;
    },

    /** The session's statement hooks (cmi5/tracking.js); null when the launch failed. */
    createTracking({ data, win: page = win, now: clock, onAuthProblem, pageExit }) {
      if (!cmi5 || tracking) return tracking;
      const lms = cmi5.launchData.masteryScore;
      const masteryScore = lms ?? data.course.masteryScore / 100;
      tracking = createCmi5Tracking({ data, cmi5: { ...cmi5, masteryScore, auId }, win: page,
        now: clock, storage, session, fetch, onAuthProblem, pageExit });
      return tracking;
    },

    setScore(value) {
      score = value;
      web.setScore(value);
    },
    complete() {
      web.complete();
      tracking?.completed();
    },
    pass() {
      web.pass();
      if (score) tracking?.passed(score);
    },
    fail() {
      web.fail();
      if (score) tracking?.failed(score);
    },
  };
}
