// xAPI tracking for the UI: decides whether this launch reports to an LRS, and turns what the
// learner does into statements, each persisted in the outbox before it is sent. The UI calls the
// hooks (docs/xapi.md "Tracking"); when nothing is tracked every hook does nothing.

import { openAttempt } from "./attempt.js";
import { createClient } from "./client.js";
import { startDelivery } from "./lifecycle.js";
import { createQueue } from "./queue.js";
import { createStatements } from "./statements.js";
import { browserStorage } from "../util/storage.js";

const HOOKS = ["started", "pageViewed", "answered", "assessmentScored", "progressed",
  "moduleCompleted", "courseCompleted", "suspended", "terminated"];
const warn = (message, detail) => console.warn(`[xapi] ${message}`, detail ?? "");

/**
 * Where statements go and whom they are about, or null when this launch is not tracked.
 * An xAPI launch names everything. Dual-track SCORM takes the LRS from the build (`data.lrs`)
 * and the learner from the LMS. A credential embedded by the build only ever goes to the
 * embedded endpoint: a launch URL could name any endpoint, so it never receives it.
 */
export function trackingTarget({ data, lms, info }) {
  const launch = lms?.launch;
  if (launch?.endpoint && launch.actor) {
    return { endpoint: launch.endpoint, auth: launch.auth ?? null, actor: launch.actor,
      registration: launch.registration ?? null, activityId: launch.activityId ?? null,
      fromLaunch: true };
  }
  const lrs = data?.lrs;
  if (lrs?.endpoint && lrs.actorHomePage && info?.learnerId) {
    return { endpoint: lrs.endpoint, auth: lrs.auth ?? null,
      actor: { account: { homePage: lrs.actorHomePage, name: String(info.learnerId) } },
      registration: null, activityId: null, fromLaunch: false };
  }
  return null;
}

/** crypto.randomUUID, or a v4 UUID from getRandomValues (randomUUID needs a secure context). */
export function defaultUuid() {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === "function") return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)]
    .join("-");
}

export function defaultStorage(win) {
  const storage = browserStorage(win);
  if (storage) return storage;
  const items = new Map();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, String(v)),
    removeItem: (k) => items.delete(k) };
}

const idle = () => Object.freeze({ active: false, registration: null,
  ...Object.fromEntries(HOOKS.map((name) => [name, () => {}])) });

/** The tracking hooks of this launch (see docs/xapi.md "Tracking"). */
export function createXapiTracking({ data, lms, info, win = globalThis.window, storage,
  now = Date.now, uuid = defaultUuid, fetch = globalThis.fetch, log = warn,
  onAuthProblem = () => {}, pageExit = null }) {
  const target = trackingTarget({ data, lms, info });
  if (!target) return idle();
  const course = data.course;
  const { actor } = target;
  const who = actor.account ? `${actor.account.homePage}|${actor.account.name}` : actor.mbox;
  // The follow-up unit's attempt is its own, not the course's (they share the course IRI).
  const base = `coursepack:xapi:${course.followUp?.id ?? course.id}|${who}`;
  storage ??= defaultStorage(win);
  let build;
  let attempt;
  try {
    attempt = openAttempt({ storage, key: `${base}:attempt`, registration: target.registration,
      entry: info?.entry, uuid, log });
    build = createStatements({ actor, course, registration: attempt.registration, uuid, now,
      activityId: target.activityId ?? course.id, fromLaunch: target.fromLaunch });
  } catch (error) {
    log("not tracking: unusable actor or storage", error);
    return idle();
  }
  const client = createClient({ endpoint: target.endpoint, auth: target.auth, fetch });
  const queue = createQueue({ storage, key: `${base}:outbox`, send: client.send, now, log,
    onAuthProblem: (status) => {
      log(`LRS refused the credentials (${status}); statements kept`);
      onAuthProblem(status);
    },
    setTimer: (fn, ms) => win.setTimeout(fn, ms), clearTimer: (t) => win.clearTimeout(t) });
  const titles = new Map((data.pages ?? []).map((p) => [p.key, p.title]));
  const opened = new Map(); // section key -> when it was last shown in this session
  const createdAt = now();
  let startedAt = null;
  let suspendedOnce = false;
  let ended = false;
  let delivery = null;

  const sessionMs = () => now() - (startedAt ?? createdAt);

  function send(statement) {
    if (delivery) {
      delivery.track(statement);
      return;
    }
    // The first statement is queued before delivery starts, so the first flush takes it along.
    queue.enqueue(statement);
    // The session's last statements are queued when the learner leaves ("leave"), before the
    // delivery's keepalive flush ("flush"): page-exit.js runs the phases in that order. It does
    // what the UI's own leave handler does; both are once.
    const last = () => {
      if (!attempt.has("course")) api.suspended();
      api.terminated();
    };
    if (pageExit) pageExit.on("leave", last);
    else win.addEventListener("pagehide", last);
    delivery = startDelivery({ win, queue, pageExit });
  }

  function assessmentOf(key) {
    const a = data.assessments?.[key] ?? {};
    return { key, kind: a.kind, module: a.module ?? "", title: titles.get(key) };
  }

  const hooks = {
    started({ resumed = false } = {}) {
      if (startedAt !== null) return;
      startedAt = now();
      const again = !attempt.claim("initialized") || resumed;
      send(again ? build.resumed() : build.initialized());
    },
    pageViewed(page) {
      opened.set(page.key, now());
      // Tests and the survey are assessments: their own statements report them.
      if (page.kind !== "page" || !attempt.claim(`page:${page.key}`)) return;
      send(build.experienced(page));
    },
    answered({ question, interaction = question?.interaction, response, correct = null,
      durationMs, assessmentKey }) {
      if (!interaction) return;
      send(build.answered({ interaction, response, correct, durationMs,
        assessment: assessmentOf(assessmentKey) }));
    },
    assessmentScored({ assessmentKey, kind, scaled, raw, min, max, passed = null, durationMs }) {
      const a = assessmentOf(assessmentKey);
      a.kind = kind ?? a.kind;
      const since = opened.get(assessmentKey) ?? startedAt ?? createdAt;
      const options = { durationMs: durationMs ?? now() - since };
      const score = { scaled, raw, min, max };
      if (a.kind === "pre-test" || a.kind === "retention-test") {
        send(build.completedAssessment(a, score, options));
      }
      else if (a.kind === "post-test" && passed === true) send(build.passed(a, score, options));
      else if (a.kind === "post-test" && passed === false) send(build.failed(a, score, options));
    },
    progressed(measure) {
      const percent = Math.round(Math.max(0, Math.min(1, Number(measure) || 0)) * 100);
      if (percent === attempt.number("progress")) return;
      attempt.setNumber("progress", percent);
      send(build.progressed(percent / 100));
    },
    moduleCompleted(moduleId) {
      if (!moduleId || !attempt.claim(`module:${moduleId}`)) return;
      send(build.completedModule({ id: moduleId }));
    },
    courseCompleted() {
      if (!attempt.claim("course")) return;
      send(build.completedCourse({ durationMs: attempt.number("elapsedMs") + sessionMs() }));
    },
    suspended() {
      if (suspendedOnce) return;
      suspendedOnce = true;
      send(build.suspended({ durationMs: sessionMs() }));
    },
    terminated({ durationMs } = {}) {
      const spent = sessionMs();
      attempt.setNumber("elapsedMs", attempt.number("elapsedMs") + spent);
      send(build.terminated({ durationMs: durationMs ?? spent }));
      ended = true;
      // The page may be going away: send now, with keepalive so the request outlives it.
      queue.flush({ keepalive: true }).catch(() => {});
    },
  };

  // No hook may break the course: after terminated they do nothing, and errors are only logged.
  const guarded = Object.fromEntries(HOOKS.map((name) => [name, (...args) => {
    if (ended) return;
    try {
      hooks[name](...args);
    } catch (error) {
      log(`${name} not reported`, error);
    }
  }]));
  const api = Object.freeze({ active: true, registration: attempt.registration, actor, queue,
    ...guarded });
  return api;
}
