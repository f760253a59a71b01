// Every statement the cmi5 AU sends in a scenario, from the real adapter (lms/cmi5.js), tracking,
// tracker and reporter wired as main.js wires them, into the in-memory LMS of cmi5-world.mjs.
// `node cmi5-statements.mjs < {data, responses, scenario}` prints {statements, sessions, posts,
// redirects, notices}; `sessions` maps each session id to its launchMode and masteryScore, for
// the rule checker of tests/cmi5_rules.py (tests/test_cmi5_runtime.py).
import { readFileSync } from "node:fs";
import { createReporter } from "../../templates/runtime/reporter.js";
import { createTracker } from "../../templates/runtime/tracker.js";
import { scoreAttempt } from "../../templates/runtime/ui/quiz.js";
import { launchPlan } from "../../templates/runtime/util/report.js";
import { decodeState } from "../../templates/runtime/util/state.js";
import { createWorld, flush, SESSION_KEY } from "./cmi5-world.mjs";
import { uiResponse } from "./ui-response.mjs";

const { data, responses, scenario } = JSON.parse(readFileSync(0, "utf8"));
const SCENARIOS = {
  // A Normal launch taken to pass: every page, every test right, Exit.
  pass: { world: {}, runs: [{ answers: "right" }] },
  // A failing session, then a passing one (cmi5 allows one of passed/failed per session).
  "fail-then-pass": { world: {}, runs: [{ answers: "wrong" }, { answers: "right" }] },
  // Browse: the learner looks around; only initialized and terminated are sent.
  browse: { world: { launchMode: "Browse" }, runs: [{ answers: "right" }] },
  // Review after passing: only initialized and terminated.
  review: { world: {}, runs: [{ answers: "right" }, { answers: "right", launchMode: "Review" }] },
  // Reload half way: the same tab (sessionStorage) opens the same launch URL again.
  reload: { world: {}, runs: [{ answers: "right", reloadAt: 0.5 }] },
  // The LMS's masteryScore (0.95) over the course's: 90 % fails.
  mastery: { world: { masteryScore: 0.95 }, runs: [{ answers: "most" }] },
  // The launch URL opened a second time in another tab: the fetch URL refuses (error-code 1).
  refused: { world: {}, runs: [{ answers: "right", twice: true }] },
  // Closed without Exit: no terminated; the LMS abandons the session (§9.3.6).
  closed: { world: {}, runs: [{ answers: "right", exit: false }] },
};

const w = createWorld({ ...SCENARIOS[scenario].world, returnURL: "https://lms.example.org/back" });
const sessions = {};
const notices = [];

/** The UI response to `question`: right, wrong (none chosen), or right but for the first. */
function answer(question, how, index) {
  if (how === "right" || (how === "most" && index > 0) || !question.scored) {
    return uiResponse(question.interaction, responses[question.interaction.iri]);
  }
  return [];
}

/** One page load, as main.js runs it; resolves to its parts once the page is shown. */
async function load(win) {
  const { lms, info, tracking } = await w.open(win, data);
  if (info.notice) notices.push(info.notice);
  if (!tracking) return null;
  const mastery = Number.isFinite(info.masteryScore) ? info.masteryScore : data.course.masteryScore;
  const tracker = createTracker({ pages: data.pages, assessments: data.assessments,
    completion: data.course.completion, score: scoreAttempt });
  const { saved, resumed } = launchPlan(info, (text) => decodeState(text, data.assessments));
  if (saved) tracker.restore(saved);
  tracking.started({ resumed });
  const reporter = createReporter({ lms, xapi: tracking, tracker, data, mastery, now: w.now,
    quizzes: new Map() });
  return { lms, tracking, tracker, reporter, win };
}

function submit(page, how, key, assessment) {
  const attempt = { order: assessment.questions.map((_, i) => i),
    responses: assessment.questions.map((q, i) => answer(q, how, i)) };
  page.reporter.submitted(key, assessment, attempt, 4000);
}

for (const run of SCENARIOS[scenario].runs) {
  const search = w.launch();
  for (const d of Object.values(w.launchData)) {
    if (run.launchMode) d.launchMode = run.launchMode;
    const sid = d.contextTemplate.extensions[SESSION_KEY];
    sessions[sid] = { launchMode: d.launchMode, masteryScore: d.masteryScore ?? null };
  }
  const tab = w.window(search);
  let page = await load(tab);
  if (run.twice) await load(w.window(search));
  const reloadAt = Math.floor((run.reloadAt ?? 2) * data.pages.length);
  for (const [index, shown] of data.pages.entries()) {
    if (index === reloadAt) {
      await flush(page.tracking);
      page = await load(w.window(search, tab.sessionStorage));
    }
    w.time += 30000;
    page.tracker.view(shown.key);
    page.reporter.at(shown);
    const assessment = data.assessments[shown.key];
    if (assessment) submit(page, run.answers, shown.key, assessment);
    for (const [key, check] of Object.entries(data.assessments)) {
      if (check.page === shown.key) submit(page, run.answers, key, check);
    }
  }
  w.time += 5000;
  page.reporter.finish({ leaving: run.exit !== false });
  await flush(page.tracking);
  await new Promise((resolve) => { setTimeout(resolve, 0); });
}
process.stdout.write(JSON.stringify({ statements: w.statements, sessions, posts: w.posts,
  gets: w.gets, redirects: w.redirects, notices }));
