// Entry point: reads the course data, connects the adapter of the package's standard, restores
// the learner's state and wires navigation, quizzes, tracking and the session lifecycle.
// Lifecycle (docs/runtime.md): page-exit.js is the one listener; hidden -> commit; pagehide or
// Exit -> finish once.

import { connect, offlineAdapter, OFFLINE } from "./lms/connect.js";
import { createPageExit } from "./page-exit.js";
import { createTracker } from "./tracker.js";
import { createNav } from "./ui/nav.js";
import { createQuiz, describeScore, scoreAttempt } from "./ui/quiz.js";
import {
  interactionsWritten, moduleObjective, recordAnswers, recordsInteractions,
} from "./util/answers.js";
import { reportAttempt } from "./util/xapi-answers.js";
import { launchPlan, reportCalls } from "./util/report.js";
import { decodeState, encodeState } from "./util/state.js";

const win = window;
const doc = document;
const now = () => Date.now();

/**
 * Connect the adapter of `standard` (lms/<standard>.js). A package opened without an LMS falls
 * back to the web adapter (browser storage); if even that cannot load, nothing is saved but the
 * course works.
 */
async function connectTo(standard, courseId) {
  const options = { win, now, courseId };
  try {
    const { createAdapter } = await import(`./lms/${standard}.js`);
    const web = standard === "web" ? null : (await import("./lms/web.js")).createAdapter;
    return await connect(createAdapter, options, web);
  } catch (err) {
    console.warn("coursepack: no LMS adapter, progress is not saved", err);
    return { lms: offlineAdapter(), info: OFFLINE };
  }
}

function announce(text) {
  const region = doc.getElementById("cp-announce");
  if (region) region.textContent = text;
}

async function run() {
  doc.documentElement.classList.replace("cp-nojs", "cp-js");
  const data = JSON.parse(doc.getElementById("coursepack-data").textContent);
  const pageExit = createPageExit(win);
  const { lms, info } = await connectTo(data.standard, data.course.id);
  const mastery = Number.isFinite(info.masteryScore) ? info.masteryScore : data.course.masteryScore;
  const tracker = createTracker({
    pages: data.pages, assessments: data.assessments, completion: data.course.completion,
    score: scoreAttempt,
  });

  const { saved, resumed, bookmark } = launchPlan(
    info, (text) => decodeState(text, data.assessments),
  );
  if (saved) tracker.restore(saved);
  // Where to append interactions if the LMS cannot say how many it holds (_count reads "").
  const interactionPolicy = data.course.interactions;
  lms.seedInteractions(interactionsWritten(interactionPolicy, data.assessments, tracker));
  /** Tell the learner that the record store refused the course (401/403): the queue has paused. */
  function noticeLrs() {
    const notice = win.document.getElementById("cp-notice");
    if (!notice || !notice.hidden) return;
    notice.textContent = "Your learning record store refused this course's sign-in, so your "
      + "activity is not being recorded there yet. Your progress is kept in this browser and will "
      + "be sent later. Please tell your course administrator.";
    notice.hidden = false;
  }

  // xAPI statements (docs/xapi.md): only the xapi target and dual-track builds ship xapi/.
  const xapi = lms.launch || data.lrs
    ? await import("./xapi/tracking.js")
      .then((m) => m.createXapiTracking({
        data, lms, info, win, now, onAuthProblem: noticeLrs, pageExit,
      }))
      .catch((err) => console.warn("coursepack: no xAPI tracking", err))
    : null;
  xapi?.started({ resumed });
  const quizzes = new Map(); // assessment key -> {quiz, section key}

  /** Save the learner state, the answers of attempts in progress included. */
  function save() {
    for (const [key, { quiz }] of quizzes) if (!quiz.done) tracker.progress(key, quiz.current());
    lms.saveState(encodeState(tracker.snapshot(), data.assessments, data.stateLevel ?? 0));
  }

  let reported = null; // the status last told to the LMS; null before the first report
  let finished = false;

  /**
   * Tell the LMS what changed since the last report (util/report.js), save the state and commit:
   * save as you go, so a closed tab loses at most the last page (docs/lms.md). The first report
   * tells everything the learner's own state has reached, since an LMS may answer reads with "".
   */
  function report() {
    const status = tracker.status(mastery);
    lms.setProgress(status.progress);
    xapi?.progressed(status.progress);
    for (const module of tracker.modulesDone(mastery)) xapi?.moduleCompleted(module);
    if (status.complete) xapi?.courseCompleted();
    for (const [verb, arg] of reportCalls(reported, status)) lms[verb](arg);
    save();
    lms.commit();
    reported = status;
    return status;
  }

  /**
   * End the session once. `leaving` is true when the learner chose Exit: in a package of several
   * units (one SCO per module) the LMS is then asked to go on to the next unit, or to end after the
   * last (docs/runtime.md, Units).
   */
  function finish({ leaving = false } = {}) {
    if (finished) return;
    finished = true;
    save();
    const complete = tracker.status(mastery).complete;
    if (!complete) xapi?.suspended();
    xapi?.terminated();
    const unit = data.unit;
    const request = leaving && unit ? (unit.index + 1 < unit.count ? "continue" : "exitAll") : "";
    lms.finish({ suspend: !complete, request });
  }

  /** The result line under a submitted assessment. */
  function describe(assessment, score) {
    const line = describeScore(score);
    if (assessment.kind === "survey") return "Thank you. Your answers have been recorded.";
    if (assessment.kind === "pre-test") return `${line} This does not count towards your result.`;
    if (assessment.kind !== "post-test") return line;
    const { success } = tracker.status(mastery);
    if (success === "passed") return `${line} You have passed the course.`;
    if (success === "failed") return `${line} The pass mark of ${mastery}% was not reached.`;
    return `${line} Your course result is ready when every test is done.`;
  }

  const nav = createNav({
    doc, win, pages: data.pages,
    onChange(page) {
      if (tracker.view(page.key)) nav.markSeen(page.key);
      xapi?.pageViewed(page);
      for (const { quiz, section } of quizzes.values()) if (section === page.key) quiz.visible(now());
      lms.setBookmark(page.key);
      report();
    },
  });
  for (const page of data.pages) if (tracker.seen(page.key)) nav.markSeen(page.key);

  /** After a submission: each answer as an interaction, then the module's objective. */
  function submitted(key, assessment, attempt, latencyMs) {
    const score = tracker.submit(key, attempt);
    if (recordsInteractions(interactionPolicy, assessment, tracker.record(key)?.count ?? 1)) {
      recordAnswers(lms, assessment, attempt, score, { latencyMs, timestamp: now() });
    }
    if (xapi) reportAttempt(xapi, { key, assessment, attempt, score, latencyMs, mastery });
    const objective = moduleObjective(assessment, tracker.record(key)?.best, mastery);
    if (objective) lms.setObjective(objective);
    report();
  }

  for (const form of doc.querySelectorAll("form[data-quiz]")) {
    const key = form.dataset.quiz;
    const assessment = data.assessments[key];
    if (!assessment) continue;
    const quiz = createQuiz({
      form, assessment, now,
      describe: (score) => describe(assessment, score),
      canRetake: () => tracker.canRetake(key),
      onSubmit: (attempt, latencyMs) => submitted(key, assessment, attempt, latencyMs),
      onChange: (attempt) => tracker.progress(key, attempt),
      onRetake: () => report(),
    });
    quizzes.set(key, { quiz, section: form.closest("section.cp-page")?.dataset.key });
    const attempt = tracker.attempt(key);
    if (attempt?.submitted && attempt.responses) quiz.show(attempt);
    else if (attempt?.submitted) {
      const best = tracker.record(key)?.best;
      const line = Number.isFinite(best) ? ` Your score: ${Math.round(best * 100)}%.` : "";
      quiz.summary(attempt, `You have submitted this.${line}`);
    } else if (attempt) quiz.resume(attempt);
    else quiz.start();
  }

  pageExit.on("hidden", () => {
    save();
    lms.commit();
  });
  // Leaving by closing the page ends the session; Exit also asks the LMS to go on (units).
  pageExit.on("leave", () => finish());
  doc.querySelector('.cp-pager [data-cp="exit"]')?.addEventListener("click", (event) => {
    finish({ leaving: true });
    pageExit.leave();
    event.currentTarget.disabled = true;
    announce("Your progress is saved. You can now close this window.");
  });

  /** The page key in the address (`#page-<key>`), or "" when there is none or it is malformed. */
  function hashKey() {
    try {
      return decodeURIComponent(win.location.hash.replace(/^#page-/, ""));
    } catch {
      return "";
    }
  }

  const hash = hashKey();
  const resumeAt = resumed ? nav.indexOf(bookmark) : -1;
  const hashAt = nav.indexOf(hash);
  nav.show(resumeAt >= 0 ? resumeAt : Math.max(hashAt, 0), { focus: false });
}

run();
