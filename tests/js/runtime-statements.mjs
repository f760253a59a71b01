// Every statement the runtime sends for a course, from the real tracking hooks
// (xapi/tracking.js) and the real attempt report (util/xapi-answers.js), into a fake LRS.
// `node runtime-statements.mjs < {data, launch, responses, mastery}` prints the JSON array of
// statements received. `launch` is the xAPI launch (`lms.launch`), or null for dual-track SCORM
// (`data.lrs`); `responses` maps each question's iri to the xAPI string of a right answer.
// tests/test_vocabulary.py matches each with the profile's templates.
import { readFileSync } from "node:fs";
import { createXapiTracking } from "../../templates/runtime/xapi/tracking.js";
import { reportAttempt } from "../../templates/runtime/util/xapi-answers.js";
import { uiResponse } from "./ui-response.mjs";

const { data, launch, responses, mastery } = JSON.parse(readFileSync(0, "utf8"));
const items = new Map();
const storage = { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, String(v)),
  removeItem: (k) => items.delete(k) };
const received = [];
let ids = 0;
let time = Date.UTC(2024, 4, 1, 9, 0, 0);

async function fetch(url, init) {
  received.push(...JSON.parse(init.body));
  return { status: 200, text: async () => "" };
}

/** One launch of the course: a window that never runs timers, the shared storage and LRS. */
function open(entry) {
  const win = new EventTarget();
  win.document = new EventTarget();
  win.document.visibilityState = "visible";
  win.location = { search: "" };
  win.setTimeout = () => 0;
  win.clearTimeout = () => {};
  const lms = launch ? { launch } : {};
  return createXapiTracking({ data, lms, info: { learnerId: "learner-1", entry }, win, storage,
    fetch, now: () => time, log: () => {},
    uuid: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, "0")}` });
}

/** Submit `assessment` (`key`) with every question answered right, or every one wrong. */
function submit(xapi, key, assessment, right) {
  const order = assessment.questions.map((_, i) => i);
  const correct = assessment.questions.map((q) => (q.scored ? right : null));
  const possible = assessment.questions.reduce((sum, q) => sum + (q.scored ? q.weight ?? 1 : 0), 0);
  reportAttempt(xapi, { key, assessment, mastery, latencyMs: 4000,
    attempt: { order,
      responses: assessment.questions.map((q) => uiResponse(q.interaction, responses[q.interaction.iri])) },
    score: { correct, earned: right ? possible : 0, possible } });
}

async function flush(xapi) {
  // A flush may be running when the last statements arrive: wait for it, then flush again.
  await xapi.queue.flush({ force: true });
  await xapi.queue.flush({ force: true });
}

const first = open("ab-initio");
first.started({ resumed: false });
for (const page of data.pages) {
  time += 30000;
  first.pageViewed(page);
  const assessment = data.assessments[page.key];
  if (assessment) {
    if (assessment.kind === "post-test") submit(first, page.key, assessment, false);
    submit(first, page.key, assessment, true);
  }
  for (const [key, check] of Object.entries(data.assessments)) {
    if (check.page === page.key) submit(first, key, check, true);
  }
  first.progressed(data.pages.indexOf(page) / data.pages.length);
  // The runtime flushes 250 ms after a statement; here, after each page.
  await flush(first);
}
first.suspended();
first.terminated();
await flush(first);

const second = open("resume");
second.started({ resumed: true });
second.progressed(1);
for (const module of new Set(data.pages.map((p) => p.module).filter(Boolean))) {
  second.moduleCompleted(module);
}
second.courseCompleted();
second.terminated();
await flush(second);
process.stdout.write(JSON.stringify(received));
