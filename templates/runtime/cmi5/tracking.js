// cmi5 tracking for the UI: the same hooks as xapi/tracking.js (docs/xapi.md "Tracking"), sent
// through the same outbox (xapi/queue.js) to the LMS's endpoint with the session's token, under
// the cmi5 rules (session.js). The cmi5 defined statements (initialized, completed, passed,
// failed, terminated) are about the AU; pages and answers go as cmi5 allowed statements with the
// LMS's contextTemplate. The adapter (lms/cmi5.js) reports completion and success here.

import { openAttempt } from "../xapi/attempt.js";
import { createClient } from "../xapi/client.js";
import { startDelivery } from "../xapi/lifecycle.js";
import { createQueue } from "../xapi/queue.js";
import { createStatements } from "../xapi/statements.js";
import { defaultStorage, defaultUuid } from "../xapi/tracking.js";
import { ACTIVITY_TYPES } from "../xapi/vocabulary.js";
import { createCmi5Session } from "./session.js";
import { createCmi5Statements, withTemplate } from "./statements.js";

const HOOKS = ["started", "pageViewed", "answered", "assessmentScored", "progressed",
  "moduleCompleted", "courseCompleted", "suspended", "terminated", "completed", "passed",
  "failed"];
const warn = (message, detail) => console.warn(`[cmi5] ${message}`, detail ?? "");
// Scores and mastery compared in ten-thousandths (§10.2.4: up to 4 decimal places), so binary
// fractions never turn 0.7 >= 0.7 false.
const atLeast = (scaled, mastery) => Math.round(scaled * 10000) >= Math.round(mastery * 10000);

function sessionStorageOf(win) {
  try {
    return win?.sessionStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * The hooks of one cmi5 AU session. `cmi5` is what the adapter learnt at start:
 * `{launch, auth, launchData, masteryScore, auId}` (masteryScore 0..1: the LMS's, else the
 * course's; auId the AU's own id from the package, on which what the AU keeps is keyed).
 * `redirect(url)` leaves for the LMS's returnURL after Exit (§10.2.6).
 */
export function createCmi5Tracking({ data, cmi5, win = globalThis.window, storage, session,
  now = Date.now, uuid = defaultUuid, fetch = globalThis.fetch, log = warn,
  onAuthProblem = () => {}, pageExit = null,
  redirect = (url) => win.location.assign(url) }) {
  const { launch, auth, launchData, masteryScore } = cmi5;
  const course = data.course;
  storage ??= defaultStorage(win);
  session ??= sessionStorageOf(win);
  // Keyed on the AU's own id, never on the launch's activityId alone: an LMS may give every AU
  // the same one (the Open edX cmi5 XBlock, docs/lms.md), and AU 2 must not read AU 1's guards.
  const base = `coursepack:cmi5:${cmi5.auId ?? launch.activityId}|${launch.registration}`;
  const attempt = openAttempt({ storage, key: `${base}:attempt`, registration: launch.registration,
    uuid, log });
  // Without the LMS's session id (docs/lms.md) the session is this window's (sessionStorage),
  // for this AU and registration: a reload continues it, a new window starts another.
  const rules = createCmi5Session({ session, sessionId: launchData.sessionId ?? `window:${base}`,
    attempt, launchMode: launchData.launchMode, now });
  const defined = createCmi5Statements({ launch, course, contextTemplate:
    launchData.contextTemplate, uuid, now, auId: cmi5.auId });
  // Pages and answers: the xAPI target's statements, grouped under the publisher's course IRI
  // (the launch's activityId is the AU's, §9.4), with the LMS's context laid over them.
  const allowed = createStatements({ actor: launch.actor, course, registration:
    launch.registration, activityId: course.id, uuid, now });
  // One statement per `PUT statements?statementId=` (xAPI-Communication §2.1.1), in order: an
  // LMS must take PUT as an LRS does, and some take nothing else (the Open edX cmi5 XBlock
  // answers a POST 200 and drops it, docs/lms.md). One per batch, so a refused statement is
  // dropped alone and nothing accepted is sent twice.
  const client = createClient({ endpoint: launch.endpoint, auth, fetch, put: true });
  const queue = createQueue({ storage, key: `${base}:outbox`, send: client.send, now, log,
    maxBatch: 1,
    onAuthProblem: (status) => {
      log(`LMS refused the token (${status}); statements kept`);
      onAuthProblem(status);
    },
    setTimer: (fn, ms) => win.setTimeout(fn, ms), clearTimer: (t) => win.clearTimeout(t) });
  const delivery = startDelivery({ win, queue, pageExit });
  const opened = new Map();

  function send(verb, statement) {
    delivery.track(statement);
    rules.sent(verb);
  }
  const sendAllowed = (statement) => {
    if (!rules.mayAllow()) return;
    statement.context = withTemplate(statement.context, launchData.contextTemplate);
    // Not through the session's rules: an allowed `completed` (a retention test's) is not the
    // AU's, whose one completed per registration (§9.3.3) it must not use up.
    delivery.track(statement);
  };
  const titles = new Map((data.pages ?? []).map((p) => [p.key, p.title]));
  const assessmentOf = (key) => {
    const a = data.assessments?.[key] ?? {};
    return { key, kind: a.kind, module: a.module ?? "", title: titles.get(key) };
  };
  const mastery = masteryScore;
  // The AU by the launch's activityId (§9.4), the parent of a post-test's result.
  const au = { objectType: "Activity", id: launch.activityId,
    definition: { type: ACTIVITY_TYPES.au } };

  const hooks = {
    /** §7.1.1: initialized first, once per session (a reload continues the session). */
    started() {
      if (rules.mayInitialize()) send("initialized", defined.initialized());
    },
    pageViewed(page) {
      opened.set(page.key, now());
      if (page.kind !== "page" || !rules.mayAllow() || !attempt.claim(`page:${page.key}`)) return;
      sendAllowed(allowed.experienced(page));
    },
    answered({ question, interaction = question?.interaction, response, correct = null,
      durationMs, assessmentKey }) {
      if (!interaction) return;
      sendAllowed(allowed.answered({ interaction, response, correct, durationMs,
        assessment: assessmentOf(assessmentKey) }));
    },
    // What `coursepack report` reads of the tests (docs/report.md), each a cmi5 allowed
    // statement (§7.1.3: any verb, no cmi5 category; §9.3's rules are not theirs) about the test,
    // never the AU, so none uses up the AU's one completed (§9.3.3) nor its verdict (§9.3.4-5):
    // a pre-test's or retention test's `completed` with its score, as the xapi target sends it
    // (§9.5.1 allows no score on the AU's completed, and a retention test's moveOn Completed
    // carries none); a post-test's result as `completed` with its score and `success`, never as
    // passed/failed, which an LMS reading verbs alone takes for the AU's (the Open edX cmi5
    // XBlock sets its status and grade from any passed/failed, and `completed` only with the
    // cmi5 category, docs/lms.md). The AU's own passed/failed (from the adapter) are the verdict.
    assessmentScored({ assessmentKey, kind, scaled, raw, min, max, passed = null, durationMs }) {
      const a = assessmentOf(assessmentKey);
      a.kind = kind ?? a.kind;
      const since = opened.get(assessmentKey) ?? now();
      const score = { scaled, raw, min, max };
      const options = { durationMs: durationMs ?? now() - since };
      if (a.kind === "pre-test" || a.kind === "retention-test") {
        sendAllowed(allowed.completedAssessment(a, score, options));
      } else if (a.kind === "post-test" && typeof passed === "boolean") {
        sendAllowed(allowed.completedPostTest(a, score, { ...options, success: passed,
          within: au }));
      }
    },
    progressed(measure) {
      // §9.5.5.1: no progress once the registration has completed.
      if (attempt.has("cmi5:completed") || !rules.mayAllow()) return;
      const percent = Math.round(Math.max(0, Math.min(1, Number(measure) || 0)) * 100);
      if (percent === attempt.number("progress", -1)) return;
      attempt.setNumber("progress", percent);
      send("progressed", defined.progressed(percent));
    },
    moduleCompleted() {},
    courseCompleted() {},
    suspended() {},
    /** The AU's completion (§9.3.3), once per registration. */
    completed() {
      if (!rules.mayComplete()) return;
      send("completed", defined.completed({ durationMs: attempt.number("elapsedMs")
        + rules.elapsedMs() }));
    },
    /** The AU passed against `mastery` (§9.3.4); `score` {scaled, raw, min, max}. */
    passed(score) {
      if (!rules.mayJudge() || !Number.isFinite(score?.scaled) || !atLeast(score.scaled, mastery)) {
        return;
      }
      send("passed", defined.passed({ score, masteryScore: mastery,
        durationMs: rules.elapsedMs() }));
    },
    /**
     * The AU failed (§9.3.5): never after passed, and scaled below `mastery`. The course score is
     * the best attempt's, so a failed with a score already reported in this registration says
     * nothing new (the first report of every launch repeats the status): it is not sent again,
     * and the session's one verdict stays free for a pass.
     */
    failed(score) {
      const mark = `cmi5:failed:${score?.scaled}`;
      if (!rules.mayJudge() || !Number.isFinite(score?.scaled) || atLeast(score.scaled, mastery)
        || attempt.has(mark)) return;
      send("failed", defined.failed({ score, masteryScore: mastery,
        durationMs: rules.elapsedMs() }));
      attempt.claim(mark);
    },
    /**
     * The learner left. Only Exit (`leaving`) ends the cmi5 session (§9.3.8, duration since
     * initialized) and goes to returnURL (§10.2.6). Closing or reloading the page sends what is
     * queued and keeps the session open: a reload continues it; an LMS abandons a session left
     * open (§9.3.6).
     */
    terminated({ leaving = false } = {}) {
      if (!leaving || !rules.mayTerminate()) {
        queue.flush({ keepalive: true }).catch(() => {});
        return;
      }
      const spent = rules.elapsedMs();
      attempt.setNumber("elapsedMs", attempt.number("elapsedMs") + spent);
      send("terminated", defined.terminated({ durationMs: spent }));
      const done = queue.flush({ keepalive: true }).catch(() => {});
      if (launchData.returnURL) done.then(() => redirect(launchData.returnURL));
    },
  };

  const guarded = Object.fromEntries(HOOKS.map((name) => [name, (...args) => {
    if (rules.terminated) return;
    try {
      hooks[name](...args);
    } catch (error) {
      log(`${name} not reported`, error);
    }
  }]));
  return Object.freeze({ active: true, registration: launch.registration, actor: launch.actor,
    queue, rules, ...guarded });
}
