// Entry point: reads the course data, loads the adapter of the package's standard, restores the
// learner's state and wires navigation, quizzes, tracking and the session lifecycle.
// Lifecycle (docs/runtime.md): never `unload`; hidden -> commit; pagehide or Exit -> finish once.

import { createTracker } from "./tracker.js";
import { createNav } from "./ui/nav.js";
import { createQuiz, describeScore, scoreAttempt } from "./ui/quiz.js";
import { decodeState, encodeState } from "./util/state.js";

// A commit is a server round trip in most LMSs, so page changes commit at most this often.
const COMMIT_EVERY_MS = 60000;
const OFFLINE = {
  connected: false, entry: "", bookmark: "", state: "", masteryScore: null, learnerId: null,
};

const VERBS = ["setBookmark", "setProgress", "setScore", "complete", "pass", "fail", "incomplete",
  "saveState", "commit", "finish"];

const win = window;
const doc = document;
const now = () => Date.now();

/**
 * Start the adapter of `standard`. A SCORM package opened without an LMS falls back to the web
 * adapter (browser storage); if even that cannot load, nothing is saved but the course works.
 */
async function connect(standard, courseId) {
  const options = { win, now, courseId };
  try {
    const { createAdapter } = await import(`./lms/${standard}.js`);
    const adapter = createAdapter(options);
    if (standard === "web") return { lms: adapter, info: adapter.start() };
    const { startWithFallback } = await import("./lms/web.js");
    return startWithFallback(adapter, options);
  } catch (err) {
    console.warn("coursepack: no LMS adapter, progress is not saved", err);
    const adapter = { start: () => OFFLINE };
    for (const verb of VERBS) adapter[verb] = () => false;
    return { lms: adapter, info: OFFLINE };
  }
}

function announce(text) {
  const region = doc.getElementById("cp-announce");
  if (region) region.textContent = text;
}

doc.documentElement.classList.replace("cp-nojs", "cp-js");
const data = JSON.parse(doc.getElementById("coursepack-data").textContent);
const { lms, info } = await connect(data.standard, data.course.id);
const mastery = Number.isFinite(info.masteryScore) ? info.masteryScore : data.course.masteryScore;
const tracker = createTracker({
  pages: data.pages, assessments: data.assessments, completion: data.course.completion,
  score: scoreAttempt,
});

// The adapters mark a first attempt incomplete in start() (docs/runtime.md), so no call here.
const saved = info.entry === "ab-initio" ? null : decodeState(info.state ?? "");
if (saved) tracker.restore(saved);

let reported = { score: null, success: "unknown", complete: false };
let lastCommit = now();
let finished = false;

/** Tell the LMS what changed since the last report; commit if something important did. */
function report({ force = false } = {}) {
  const status = tracker.status(mastery);
  lms.setProgress(status.progress);
  if (status.score !== null && status.score !== reported.score) {
    lms.setScore({ raw: status.score, min: 0, max: 100, scaled: status.score / 100 });
  }
  const decided = status.success !== reported.success && status.success !== "unknown";
  if (decided && status.success === "passed") lms.pass();
  else if (decided) lms.fail();
  const completed = status.complete && !reported.complete;
  if (completed) lms.complete();
  lms.saveState(encodeState(tracker.snapshot()));
  if (force || decided || completed || now() - lastCommit >= COMMIT_EVERY_MS) {
    lms.commit();
    lastCommit = now();
  }
  reported = status;
  return status;
}

function finish() {
  if (finished) return;
  finished = true;
  lms.saveState(encodeState(tracker.snapshot()));
  lms.finish({ suspend: !tracker.status(mastery).complete });
}

/** The result line under a submitted assessment. */
function describe(assessment, score) {
  const line = describeScore(score);
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
    lms.setBookmark(page.key);
    report();
  },
});
for (const page of data.pages) if (tracker.seen(page.key)) nav.markSeen(page.key);

for (const form of doc.querySelectorAll("form[data-quiz]")) {
  const key = form.dataset.quiz;
  const assessment = data.assessments[key];
  if (!assessment) continue;
  const quiz = createQuiz({
    form, assessment,
    describe: (score) => describe(assessment, score),
    onSubmit(attempt) {
      tracker.submit(key, attempt);
      if (assessment.kind !== "check") report({ force: true });
    },
  });
  const attempt = tracker.attempt(key);
  if (attempt) quiz.show(attempt);
  else quiz.start();
}

doc.addEventListener("visibilitychange", () => {
  if (doc.visibilityState === "hidden" && !finished) {
    lms.saveState(encodeState(tracker.snapshot()));
    lms.commit();
    lastCommit = now();
  }
});
win.addEventListener("pagehide", finish);
doc.querySelector('.cp-pager [data-cp="exit"]')?.addEventListener("click", (event) => {
  finish();
  event.currentTarget.disabled = true;
  announce("Your progress is saved. You can now close this window.");
});

const hash = decodeURIComponent(win.location.hash.replace(/^#page-/, ""));
const resumeAt = info.entry === "resume" ? nav.indexOf(info.bookmark) : -1;
const hashAt = nav.indexOf(hash);
nav.show(resumeAt >= 0 ? resumeAt : Math.max(hashAt, 0), { focus: false });
