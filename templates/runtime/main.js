// Entry point: reads the course data, connects the adapter of the package's standard, restores
// the learner's state, and wires the reporter, navigation, quizzes, xAPI tracking and page exit.
// Lifecycle (docs/runtime.md): page-exit.js is the one listener; hidden -> commit; pagehide or
// Exit -> finish once.

import { connect, offlineAdapter, OFFLINE } from "./lms/connect.js";
import { createPageExit } from "./page-exit.js";
import { createReporter } from "./reporter.js";
import { createFinish } from "./ui/finish.js";
import { createTracker } from "./tracker.js";
import { openLinksOutside } from "./ui/links.js";
import { createNav } from "./ui/nav.js";
import { createProgress } from "./ui/progress.js";
import { describeScore, scoreAttempt } from "./ui/quiz.js";
import { setUpQuizzes } from "./ui/quizzes.js";
import { launchPlan } from "./util/report.js";
import { decodeState } from "./util/state.js";
import { setMessages, t } from "./util/messages.js";
import { browserStorage } from "./util/storage.js";
import { createUnsaved } from "./util/unsaved.js";

const win = window;
const doc = document;
const now = () => Date.now();

/**
 * Connect the adapter of `standard` (lms/<standard>.js). A package opened without an LMS falls
 * back to the web adapter (browser storage); if even that cannot load, nothing is saved but the
 * course works.
 */
async function connectTo(standard, courseId, unitId) {
  const options = { win, now, courseId, unitId };
  try {
    const { createAdapter } = await import(`./lms/${standard}.js`);
    const web = standard === "web" ? null : (await import("./lms/web.js")).createAdapter;
    return await connect(createAdapter, options, web);
  } catch (err) {
    console.warn("coursepack: no LMS adapter, progress is not saved", err);
    return { lms: offlineAdapter(), info: OFFLINE };
  }
}

/**
 * xAPI statements (docs/xapi.md): only the xapi and cmi5 targets and dual-track builds ship xapi/.
 * An adapter that opens its own statements (cmi5's session) does so with `createTracking`.
 */
async function trackingFor({ data, lms, info, pageExit }) {
  if (typeof lms.createTracking === "function") {
    try {
      return lms.createTracking({ data, info, win, now, onAuthProblem: noticeLrs, pageExit });
    } catch (err) {
      console.warn("coursepack: no tracking", err);
      return null;
    }
  }
  if (!lms.launch && !data.lrs) return null;
  try {
    const { createXapiTracking } = await import("./xapi/tracking.js");
    return createXapiTracking({ data, lms, info, win, now, onAuthProblem: noticeLrs, pageExit });
  } catch (err) {
    console.warn("coursepack: no xAPI tracking", err);
    return null;
  }
}

function announce(text) {
  const region = doc.getElementById("cp-announce");
  if (region) region.textContent = text;
}

/** Show `text` in the notice region, unless a notice is already showing (or `replace`). */
function notice(text, { replace = false } = {}) {
  const region = doc.getElementById("cp-notice");
  if (!region || (!region.hidden && !replace)) return;
  region.textContent = text;
  region.hidden = false;
}

/**
 * Tell the learner when the LMS refuses to save (its session expired, its server is down): what
 * they do is not kept until it saves again. A later commit that goes through takes it away.
 */
function lmsSaved(result) {
  const text = t("runtime.lms_not_saving");
  const region = doc.getElementById("cp-notice");
  if (result === false) notice(text, { replace: true });
  else if (region && !region.hidden && region.textContent === text) region.hidden = true;
}

/** Tell the learner that the record store refused the course (401/403): the queue has paused. */
function noticeLrs() {
  notice(t("runtime.lrs_refused"));
}

/** The result line under a submitted assessment, given the course status now. */
function resultLine(assessment, score, status, mastery) {
  const line = describeScore(score);
  if (assessment.kind === "survey" || assessment.kind === "practice-survey") {
    return t("runtime.result.survey");
  }
  if (assessment.kind === "pre-test") return t("runtime.result.pre-test", { line });
  if (assessment.kind === "retention-test") return t("runtime.result.retention-test", { line });
  if (assessment.kind !== "post-test") return line;
  if (status.success === "passed") return t("runtime.result.passed", { line });
  if (status.success === "failed") return t("runtime.result.failed", { line, mastery });
  return t("runtime.result.pending", { line });
}

/**
 * The reading order the learner moves through: the welcome page, the course data's pages, the
 * completion page. The two bookends are in the page only when it holds the whole course; they
 * are not pages of the course data (nothing to track or report).
 */
function readingOrder(pages) {
  const bookend = (key) => {
    const section = doc.getElementById(`page-${key}`);
    const heading = key === "welcome" ? ".cp-eyebrow" : "h1"; // the welcome's h1 is the course
    const title = section?.querySelector(heading)?.textContent.trim() ?? "";
    return section ? [{ key, module: "", kind: key, title, bookend: true }] : [];
  };
  return [...bookend("welcome"), ...pages, ...bookend("completion")];
}

/** The page key in the address (`#page-<key>`), or "" when there is none or it is malformed. */
function hashKey() {
  try {
    return decodeURIComponent(win.location.hash.replace(/^#page-/, ""));
  } catch {
    return "";
  }
}

async function run() {
  doc.documentElement.classList.replace("cp-nojs", "cp-js");
  const data = JSON.parse(doc.getElementById("coursepack-data").textContent);
  setMessages(data.messages);
  openLinksOutside(doc, doc, t("runtime.new_window"));
  const pageExit = createPageExit(win);
  // The follow-up unit keeps its own progress, apart from the course's (same course IRI).
  const courseKey = data.course.followUp?.id ?? data.course.id;
  // Its cmi5 AU is `<follow-up IRI>/au` (builder/targets/cmi5.py), the course's `<course>/<unit>`.
  const unitId = data.course.followUp ? "au" : data.course.unit ?? "";
  const { lms, info } = await connectTo(data.standard, courseKey, unitId);
  // The adapter could not use the LMS that launched the course (cmi5: the token was refused).
  if (info.notice) notice(t(info.notice));
  const mastery = Number.isFinite(info.masteryScore) ? info.masteryScore : data.course.masteryScore;
  const tracker = createTracker({
    pages: data.pages, assessments: data.assessments, completion: data.course.completion,
    score: scoreAttempt,
  });
  // What this LMS refused to save last time, kept in this browser (util/unsaved.js).
  const unsaved = createUnsaved({
    storage: info.connected ? browserStorage(win) : null, courseId: courseKey,
    learnerId: info.learnerId, base: info.state,
  });
  const kept = unsaved.restore();
  const launch = kept ? { ...info, entry: "resume", ...kept } : info;
  const { saved, resumed, bookmark } = launchPlan(
    launch, (text) => decodeState(text, data.assessments),
  );
  if (saved) tracker.restore(saved);
  const xapi = await trackingFor({ data, lms, info, pageExit });
  xapi?.started({ resumed });

  const quizzes = new Map(); // assessment key -> {quiz, section key}
  const reporter = createReporter({
    lms, xapi, tracker, data, mastery, now, quizzes,
    // An LMS that is not there (the page opened on its own) has nothing to refuse.
    onCommit(result, carried) {
      if (!info.connected) return;
      unsaved.note(result, carried);
      if (!carried.final) lmsSaved(result);
    },
  });
  const finish = createFinish({
    doc, win, data, tracker, learnerName: info.learnerName, mastery, now,
  });
  const progress = createProgress({
    doc, pages: data.pages, assessments: data.assessments, rule: data.course.completion,
    unit: data.course.unit, tracker, mastery,
  });
  const nav = createNav({
    doc, win, pages: readingOrder(data.pages),
    onChange(page) {
      if (page.bookend) {
        if (page.key === "completion") finish?.update(tracker.status(mastery));
        progress.update(page.key);
        return;
      }
      tracker.view(page.key);
      for (const { quiz, section } of quizzes.values()) {
        if (section === page.key) quiz.visible(now());
      }
      reporter.at(page);
      progress.update(page.key);
    },
  });
  setUpQuizzes({
    doc, data, tracker, now, quizzes,
    describe: (assessment, score) => (
      resultLine(assessment, score, tracker.status(mastery), mastery)),
    onSubmit(...args) {
      reporter.submitted(...args);
      progress.update();
    },
    onRetake: reporter.report,
  });

  pageExit.on("hidden", () => reporter.commit());
  // Leaving by closing the page ends the session; Exit also asks the LMS to go on (units).
  pageExit.on("leave", () => reporter.finish());
  // Back from the back/forward cache with the session finished: an adapter that can start a
  // new session from this address (browser storage, an xAPI launch) reloads; an LMS session
  // (SCORM, cmi5) cannot be reopened from the page, so the learner is told to relaunch.
  pageExit.on("restored", () => {
    if (lms.reopens === true) win.location.reload();
    else notice(t("runtime.session_ended"), { replace: true });
  });
  doc.querySelector('.cp-pager [data-cp="exit"]')?.addEventListener("click", (event) => {
    const result = reporter.finish({ leaving: true });
    pageExit.leave();
    event.currentTarget.disabled = true;
    // Seen and heard: the confirmation beside the buttons, and in the status region; never a
    // "saved" the LMS did not confirm.
    const refused = info.connected && result === false;
    const said = t(refused ? "runtime.not_saved" : "runtime.saved");
    const saved = doc.querySelector('.cp-pager [data-cp="saved"]');
    if (saved) Object.assign(saved, { textContent: said, hidden: false });
    saved?.classList.toggle("cp-unsaved", refused);
    announce(said);
  });

  const resumeAt = resumed ? nav.indexOf(bookmark) : -1;
  nav.show(resumeAt >= 0 ? resumeAt : Math.max(nav.indexOf(hashKey()), 0), { focus: false });
}

run();
