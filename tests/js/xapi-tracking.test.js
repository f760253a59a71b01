import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createXapiTracking } from "../../templates/runtime/xapi/tracking.js";
import { EXTENSIONS } from "../../templates/runtime/xapi/vocabulary.js";

const validate = createRequire(import.meta.url)("xapi-validation").default;
const DESCRIBED = JSON.parse(readFileSync(new URL("./interactions.fixture.json", import.meta.url)))
  .interactions;
const IRI = "https://courses.example.org/htp";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const LAUNCH = {
  endpoint: "https://lrs.example.org/xapi/", auth: "Basic bGF1bmNoOnRva2Vu",
  actor: { objectType: "Agent", account: { homePage: "https://lms.example.org", name: "u-9" } },
  registration: "0b9f2a4e-6c1d-4f3a-9e2b-7d5c8a1f0e36", activityId: "https://lms.example.org/a/77",
};
const LRS = { endpoint: "https://lrs.example.org/dual/", actorHomePage: "https://scorm.example.org" };

/** Course data as builder/render.py::course_data writes it, questions from the fixture. */
function courseData(lrs) {
  const question = (name, kind, module = "m1") => ({ id: name, type: name,
    interaction: { ...DESCRIBED[name], iri: [IRI, module, kind, name].filter(Boolean).join("/") } });
  const post = ["single", "multiple", "true-false", "matching", "sequencing", "fill-in", "numeric",
    "scenario"].map((name) => question(name, "post-test"));
  return {
    course: { id: IRI, title: "Trafficking in court", version: "1.2.0", language: "en-GB" },
    standard: "scorm2004",
    pages: [
      { key: "m1/pre-test", module: "m1", kind: "pre-test", title: "What you know" },
      { key: "m1/intro", module: "m1", kind: "page", title: "Introduction" },
      { key: "m1/cases", module: "m1", kind: "page", title: "Cases" },
      { key: "m1/post-test", module: "m1", kind: "post-test", title: "Post-test" },
      { key: "survey", module: "", kind: "survey", title: "Your view" },
    ],
    assessments: {
      "m1/pre-test": { kind: "pre-test", module: "m1", questions: [question("single", "pre-test")] },
      "m1/check/single": { kind: "check", module: "m1", page: "m1/intro",
        questions: [question("single", "check")] },
      "m1/post-test": { kind: "post-test", module: "m1", questions: post },
      survey: { kind: "survey", module: "", questions: [question("likert", "survey", "")] },
    },
    ...(lrs ? { lrs } : {}),
  };
}

/** Fake storage, LRS (fetch), clock, ids and window shared by the launches of one test. */
function world({ status = 200 } = {}) {
  const items = new Map();
  const w = {
    items, requests: [], status, time: Date.UTC(2024, 4, 1, 9, 0, 0), ids: 0, logs: [],
    storage: { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, String(v)),
      removeItem: (k) => items.delete(k) },
  };
  w.fetch = async (url, init) => {
    w.requests.push({ url, headers: init.headers, keepalive: init.keepalive,
      statements: JSON.parse(init.body) });
    return { status: w.status, text: async () => "" };
  };
  w.launch = ({ data = courseData(LRS), lms = {}, info = {}, search = "" } = {}) => {
    const win = new EventTarget();
    win.document = new EventTarget();
    win.document.visibilityState = "visible";
    win.location = { search };
    win.setTimeout = () => 0;
    win.clearTimeout = () => {};
    w.win = win;
    return createXapiTracking({ data, lms, info, win, storage: w.storage, now: () => w.time,
      fetch: w.fetch, log: (m) => w.logs.push(m),
      uuid: () => `00000000-0000-4000-8000-${String(++w.ids).padStart(12, "0")}` });
  };
  w.sent = () => w.requests.flatMap((r) => r.statements);
  w.verbs = () => w.sent().map((s) => s.verb.id.split("/").pop());
  return w;
}

/** Wait for a flush in flight (it may have started before the last statements), then flush. */
async function flush(tracking) {
  await tracking.queue.flush({ force: true });
  await tracking.queue.flush({ force: true });
}

function assertValid(statements) {
  for (const s of statements) {
    assert.deepEqual(validate(JSON.parse(JSON.stringify(s))), [], s.verb.id);
    assert.match(s.id, UUID);
  }
  assert.equal(new Set(statements.map((s) => s.id)).size, statements.length, "ids are unique");
}

test("a whole xAPI-launched session sends the right verbs in order, each statement valid", async () => {
  const w = world();
  const t = w.launch({ lms: { launch: LAUNCH }, info: { entry: "ab-initio" } });
  const data = courseData(LRS);
  const page = (key) => data.pages.find((p) => p.key === key);
  t.started({ resumed: false });
  t.pageViewed(page("m1/pre-test"));
  w.time += 30000;
  const pre = data.assessments["m1/pre-test"].questions[0];
  t.answered({ question: pre, response: ["a"], correct: false, durationMs: 30000,
    assessmentKey: "m1/pre-test" });
  t.assessmentScored({ assessmentKey: "m1/pre-test", kind: "pre-test", scaled: 0, raw: 0, min: 0,
    max: 1, passed: null });
  t.progressed(0.2);
  t.pageViewed(page("m1/intro"));
  t.answered({ question: data.assessments["m1/check/single"].questions[0], response: ["b"],
    correct: true, assessmentKey: "m1/check/single" });
  t.pageViewed(page("m1/cases"));
  t.pageViewed(page("m1/intro"));
  t.progressed(0.6);
  t.pageViewed(page("m1/post-test"));
  w.time += 120000;
  const responses = { single: ["b"], multiple: ["a", "c"], "true-false": ["false"],
    matching: ["a", "b"], sequencing: ["a", "b", "c"], "fill-in": ["palermo"], numeric: ["9050"],
    scenario: ["0", "1"] };
  for (const q of data.assessments["m1/post-test"].questions) {
    t.answered({ question: q, response: responses[q.type], correct: true,
      assessmentKey: "m1/post-test" });
  }
  t.assessmentScored({ assessmentKey: "m1/post-test", kind: "post-test", scaled: 0.9, raw: 90,
    min: 0, max: 100, passed: true });
  t.moduleCompleted("m1");
  t.progressed(0.8);
  t.courseCompleted();
  t.pageViewed(page("survey"));
  t.answered({ question: data.assessments.survey.questions[0], response: ["c"], correct: null,
    assessmentKey: "survey" });
  t.progressed(1);
  w.time += 5000;
  t.terminated();
  await flush(t);

  assert.deepEqual(w.verbs(), ["initialized", "answered", "completed", "progressed", "experienced",
    "answered", "experienced", "progressed", ...Array(8).fill("answered"), "passed", "completed",
    "progressed", "completed", "answered", "progressed", "terminated"]);
  const sent = w.sent();
  assertValid(sent);
  assert.ok(sent.every((s) => s.context.registration === LAUNCH.registration));
  assert.ok(sent.every((s) => s.actor.account.name === "u-9"));
  assert.equal(sent[0].object.id, LAUNCH.activityId, "the launch names the course activity");
  assert.equal(sent[4].object.id, `${IRI}/m1/intro`, "other ids derive from the course IRI");
  const [passed] = sent.filter((s) => s.verb.id.endsWith("/passed"));
  assert.deepEqual(passed.result, { score: { scaled: 0.9, raw: 90, min: 0, max: 100 },
    duration: "PT2M", success: true });
  const preTest = sent[2];
  assert.equal(preTest.context.extensions[EXTENSIONS["assessment-kind"]], "pre-test");
  assert.equal(preTest.result.success, undefined);
  assert.equal(sent.at(-1).result.duration, "PT2M35S");
  assert.deepEqual(sent.filter((s) => s.verb.id.endsWith("/progressed"))
    .map((s) => s.result.extensions[EXTENSIONS.progress]), [20, 60, 80, 100]);
  const scenario = sent.find((s) => s.object.id === `${IRI}/m1/post-test/scenario`);
  assert.equal(scenario.result.response, "start[.]0[,]screening[.]1");
  assert.ok(w.requests.every((r) => r.url === `${LAUNCH.endpoint}statements`));
  assert.ok(w.requests.every((r) => r.headers.Authorization === LAUNCH.auth));
  assert.equal(t.queue.size(), 0);
});

test("terminated flushes with keepalive; after it every hook does nothing", async () => {
  const w = world();
  const t = w.launch({ lms: { launch: LAUNCH } });
  t.started();
  await flush(t);
  t.terminated({ durationMs: 1230 });
  await flush(t);
  assert.equal(w.requests.at(-1).keepalive, true);
  assert.equal(w.sent().at(-1).result.duration, "PT1.23S");
  t.pageViewed({ key: "m1/cases", module: "m1", kind: "page" });
  t.terminated();
  t.started();
  await flush(t);
  assert.deepEqual(w.verbs(), ["initialized", "terminated"]);
});

test("pagehide suspends and terminates if the UI has not; the keepalive flush carries them", async () => {
  const w = world();
  const t = w.launch({ data: courseData(LRS), info: { learnerId: "u-3", entry: "ab-initio" } });
  t.started();
  await flush(t);
  w.time += 60000;
  w.win.dispatchEvent(new Event("pagehide"));
  t.suspended();
  t.terminated();
  await flush(t);
  assert.deepEqual(w.verbs(), ["initialized", "suspended", "terminated"]);
  const last = w.requests.at(-1);
  assert.equal(last.keepalive, true);
  assert.deepEqual(last.statements.map((s) => s.verb.id.split("/").pop()).slice(-2),
    ["suspended", "terminated"]);
  assertValid(w.sent());
});

test("a reload resends neither initialized, experienced nor completed; the outbox survives", async () => {
  const w = world({ status: 503 });
  const intro = { key: "m1/intro", module: "m1", kind: "page", title: "Introduction" };
  const cases = { key: "m1/cases", module: "m1", kind: "page", title: "Cases" };
  const first = w.launch({ info: { learnerId: "u-5", entry: "ab-initio" } });
  first.started();
  first.pageViewed(intro);
  first.progressed(0.5);
  w.time += 60000;
  w.win.dispatchEvent(new Event("pagehide"));
  await flush(first);
  assert.equal(first.queue.size(), 5, "an LRS outage loses nothing");
  const outbox = [...w.items].find(([key]) => key.endsWith(":outbox"))[1];
  const kept = JSON.parse(outbox).map((s) => s.id);

  w.status = 200;
  const sentBefore = w.requests.length;
  const second = w.launch({ info: { learnerId: "u-5", entry: "resume" } });
  assert.equal(second.registration, first.registration);
  second.started({ resumed: true });
  second.pageViewed(intro);
  second.pageViewed(cases);
  second.progressed(0.5);
  second.progressed(1);
  second.moduleCompleted("m1");
  w.time += 30000;
  second.courseCompleted();
  second.terminated();
  await flush(second);

  const third = w.launch({ info: { learnerId: "u-5", entry: "" } });
  third.started({ resumed: false });
  third.pageViewed(intro);
  third.pageViewed(cases);
  third.progressed(1);
  third.moduleCompleted("m1");
  third.courseCompleted();
  await flush(third);

  const delivered = w.requests.filter((r, i) => i >= sentBefore).flatMap((r) => r.statements);
  assert.deepEqual(delivered.map((s) => s.verb.id.split("/").pop()), ["initialized", "experienced",
    "progressed", "suspended", "terminated", "resumed", "experienced", "progressed", "completed",
    "completed", "terminated", "resumed"]);
  assertValid(delivered);
  assert.deepEqual(delivered.slice(0, 5).map((s) => s.id), kept, "re-sent with the same ids");
  const course = delivered.find((s) => s.verb.id.endsWith("/completed") && s.object.id === IRI);
  assert.equal(course.result.duration, "PT1M30S", "time of every session of the attempt");
  assert.ok(delivered.every((s) => s.context.registration === first.registration));

  const fresh = w.launch({ info: { learnerId: "u-5", entry: "ab-initio" } });
  assert.notEqual(fresh.registration, first.registration, "a new LMS attempt, a new registration");
  fresh.started();
  await flush(fresh);
  assert.equal(w.verbs().at(-1), "initialized");
});

test("nothing is tracked, stored or sent when the launch is not configured", async () => {
  const w = world();
  const cases = [
    { data: courseData(), info: { learnerId: "u-1" } }, // SCORM without an LRS
    { data: courseData(LRS), info: { learnerId: null } }, // no LMS learner
    { data: courseData({ endpoint: LRS.endpoint }), info: { learnerId: "u-1" } }, // no homePage
    { data: courseData(), lms: { launch: null }, info: {} }, // xapi target opened without launch
  ];
  for (const options of cases) {
    const t = w.launch(options);
    assert.equal(t.active, false);
    t.started();
    t.pageViewed({ key: "m1/intro", module: "m1", kind: "page" });
    t.answered({ question: { interaction: DESCRIBED.single }, response: ["a"], assessmentKey: "x" });
    t.assessmentScored({ assessmentKey: "m1/post-test", kind: "post-test", scaled: 1, passed: true });
    t.progressed(1);
    t.moduleCompleted("m1");
    t.courseCompleted();
    t.suspended();
    t.terminated();
    w.win.dispatchEvent(new Event("pagehide"));
  }
  assert.equal(w.requests.length, 0);
  assert.equal(w.items.size, 0);
});

test("dual-track: the actor is the LMS learner id as an account on the configured homePage", async () => {
  const w = world();
  const t = w.launch({ info: { learnerId: 4711, entry: "ab-initio" } });
  t.started();
  await flush(t);
  const [s] = w.sent();
  assert.deepEqual(s.actor, { objectType: "Agent",
    account: { homePage: LRS.actorHomePage, name: "4711" } });
  assert.equal(s.object.id, IRI);
  assert.match(s.context.registration, UUID);
  assert.equal(w.requests[0].url, `${LRS.endpoint}statements`);
  assertValid([s]);
});

test("auth comes only from the launch or the build's embedded config", async () => {
  const header = async (options) => {
    const w = world();
    const t = w.launch(options);
    w.storage.setItem("auth", "Basic c3RvcmVk");
    t.started();
    await flush(t);
    return w.requests[0].headers.Authorization;
  };
  const query = `?endpoint=${encodeURIComponent(LRS.endpoint)}&auth=Basic%20ZXZpbA%3D%3D`;
  const learner = { learnerId: "u-2" };
  assert.equal(await header({ info: learner, search: query }), undefined);
  assert.equal(await header({ data: courseData({ ...LRS, auth: "Basic ZW1iZWQ=" }), info: learner }),
    "Basic ZW1iZWQ=");
  const embedded = courseData({ ...LRS, auth: "Basic ZW1iZWQ=" });
  assert.equal(await header({ data: embedded, lms: { launch: LAUNCH } }), LAUNCH.auth);
  assert.equal(await header({ data: embedded, lms: { launch: { ...LAUNCH, auth: null } } }),
    undefined, "an embedded credential never goes to a launch-named endpoint");
});

test("an mbox actor given by an xAPI launch is passed through", async () => {
  const w = world();
  const actor = { objectType: "Agent", mbox: "mailto:learner@example.org", name: "L" };
  const t = w.launch({ lms: { launch: { ...LAUNCH, actor, registration: null } } });
  t.started();
  await flush(t);
  const [s] = w.sent();
  assert.deepEqual(s.actor, actor);
  assert.match(s.context.registration, UUID);
  assertValid([s]);
});

test("a hook given bad input logs instead of breaking the course", async () => {
  const w = world();
  const t = w.launch({ lms: { launch: LAUNCH } });
  assert.doesNotThrow(() => t.pageViewed(undefined));
  assert.doesNotThrow(() => t.answered({ interaction: { type: "choice" }, assessmentKey: "nope" }));
  assert.ok(w.logs.some((m) => m.startsWith("pageViewed not reported")));
});

test("two tabs of one attempt share the record: a page is experienced once", async () => {
  const w = world();
  const info = { learnerId: "u-8", entry: "resume" };
  const [a, b] = [w.launch({ info }), w.launch({ info })];
  assert.equal(a.registration, b.registration);
  const page = { key: "m1/intro", module: "m1", kind: "page", title: "Introduction" };
  a.pageViewed(page);
  b.pageViewed(page);
  await flush(a);
  await flush(b);
  assert.deepEqual(w.verbs(), ["experienced"]);
});

test("the follow-up keeps an attempt of its own: after the course it initializes and completes", async () => {
  const w = world();
  const course = w.launch({ lms: { launch: { ...LAUNCH, activityId: undefined } } });
  course.started({ resumed: false });
  course.courseCompleted();
  course.terminated();
  await flush(course);
  const followUp = { id: `${IRI}/follow-up`, courseTitle: "Trafficking in court" };
  const question = { id: "q1", type: "single",
    interaction: { ...DESCRIBED.single, iri: `${IRI}/follow-up/retention-test/q1` } };
  const data = {
    course: { id: IRI, title: "Later", version: "1.2.0", language: "en-GB", followUp },
    standard: "xapi",
    pages: [{ key: "follow-up/retention-test", module: "", kind: "retention-test", title: "T" }],
    assessments: { "follow-up/retention-test": { kind: "retention-test", module: "",
      questions: [question] } },
  };
  const before = w.sent().length;
  const later = w.launch({ data, lms: { launch: { ...LAUNCH, activityId: followUp.id } } });
  later.started({ resumed: false });
  later.answered({ question, response: ["b"], correct: true,
    assessmentKey: "follow-up/retention-test" });
  later.assessmentScored({ assessmentKey: "follow-up/retention-test", kind: "retention-test",
    scaled: 1, raw: 1, min: 0, max: 1, passed: null });
  later.courseCompleted();
  later.terminated();
  await flush(later);
  const sent = w.sent().slice(before);
  assert.deepEqual(sent.map((s) => [s.verb.id.split("/").pop(), s.object.id]), [
    ["initialized", followUp.id],
    ["answered", `${IRI}/follow-up/retention-test/q1`],
    ["completed", `${IRI}/follow-up/retention-test`],
    ["completed", followUp.id],
    ["terminated", followUp.id],
  ]);
  assert.equal(sent[2].result.success, undefined);
  for (const s of sent) {
    assert.ok(s.context.contextActivities.grouping.some((a) => a.id === IRI), s.verb.id);
  }
  assertValid(sent);
});
