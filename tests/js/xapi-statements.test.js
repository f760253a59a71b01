import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { activityIri, createStatements } from "../../templates/runtime/xapi/statements.js";
import { interactionDefinition } from "../../templates/runtime/xapi/interactions.js";

const validate = createRequire(import.meta.url)("xapi-validation").default;
// The IRIs spelled out, so that a change of vocabulary.js (or of the profile it is generated
// from) shows here; tests/test_vocabulary.py matches the statements with the profile's templates.
const ADL = "http://adlnet.gov/expapi/";
const PROFILE = "https://example.org/coursepack/profile";
const EXT_COURSE_VERSION = `${PROFILE}/extensions/course-version`;
const EXT_ASSESSMENT_KIND = `${PROFILE}/extensions/assessment-kind`;
const EXT_PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress";

const COURSE = { id: "https://example.org/courses/trafficking", title: "Trafficking in court",
  version: "1.2.0", language: "en-GB" };
const ACTOR = { account: { homePage: "https://lms.example.org", name: "learner-42" } };
const REGISTRATION = "0b8e7f64-3a8e-4d1e-9a53-1f6d1d2a3b4c";
const PRE = { key: "m1/pre-test", kind: "pre-test", module: "m1", title: "Check what you know" };
const POST = { key: "m1/post-test", kind: "post-test", module: "m1", title: "Post-test" };

function builders() {
  let n = 0;
  const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;
  return createStatements({ actor: ACTOR, course: COURSE, registration: REGISTRATION, uuid,
    now: () => Date.UTC(2024, 4, 1, 12, 0, 0) });
}

// Interaction descriptions exactly as builder/interactions.py writes them (the one source of
// truth), with a response per type in the shape ui/quiz.js reads and its xAPI string.
const DESCRIBED = JSON.parse(readFileSync(new URL("./interactions.fixture.json", import.meta.url)))
  .interactions;
const ANSWERS = {
  single: [["b"], true, "b"],
  multiple: [["c", "a"], false, "c[,]a"],
  "true-false": [["false"], true, "false"],
  matching: [["b", "a"], false, "0[.]b[,]1[.]a"],
  sequencing: [["c", "a", "b"], false, "c[,]a[,]b"],
  "fill-in": [["Palermo"], true, "Palermo"],
  numeric: [["9071,5"], true, "9071.5"],
  likert: [["c"], null, "c"],
  scenario: [["0", "1"], true, "start[.]0[,]screening[.]1"],
  text: [["I will ask for an assessment,\nearly"], null, "I will ask for an assessment, early"],
};

/** Every builder's output for one launch, named. */
function everyStatement() {
  const b = builders();
  const out = {
    initialized: b.initialized(),
    resumed: b.resumed(),
    experienced: b.experienced({ key: "m1/intro", module: "m1", title: "Introduction" }),
    passed: b.passed(POST, { scaled: 0.9, raw: 9, min: 0, max: 10 }, { durationMs: 600000 }),
    failed: b.failed(POST, { scaled: 0.5, raw: 5, min: 0, max: 10 }, { durationMs: 1500 }),
    preTest: b.completedAssessment(PRE, { scaled: 0.4, raw: 2, min: 0, max: 5 }),
    completedModule: b.completedModule({ id: "m1", title: "Module one" }, { durationMs: 61000 }),
    completedCourse: b.completedCourse({ durationMs: 3723450 }),
    progressed: b.progressed(0.456),
    suspended: b.suspended({ durationMs: 2000 }),
    terminated: b.terminated({ durationMs: 0 }),
  };
  for (const [name, [response, correct]] of Object.entries(ANSWERS)) {
    out[`answered ${name}`] = b.answered({ interaction: DESCRIBED[name], response, correct,
      durationMs: 5000, assessment: POST });
  }
  out.check = b.answered({ interaction: { ...DESCRIBED.single, iri: `${COURSE.id}/m1/check/q7` },
    response: ["a"], correct: false, assessment: { key: "m1/check/q7", kind: "check", module: "m1" } });
  out.survey = b.answered({ interaction: { ...DESCRIBED.likert, iri: `${COURSE.id}/survey/q1` },
    response: ["b"], assessment: { key: "survey", kind: "survey", module: "" } });
  return out;
}

test("every builder's statement passes xapi-validation with no warnings", () => {
  for (const [name, statement] of Object.entries(everyStatement())) {
    const problems = validate(JSON.parse(JSON.stringify(statement)));
    assert.deepEqual(problems.map((p) => `${p.path.join(".")}: ${p.name}`), [], name);
  }
});

test("the validator does flag a broken statement (the check above can fail)", () => {
  const bad = structuredClone(builders().initialized());
  bad.actor = { mbox: "learner@example.org" };
  bad.context.registration = "not-a-uuid";
  assert.ok(validate(bad).length >= 2);
});

test("ids come from the injected uuid, timestamps from the injected clock", () => {
  const all = Object.values(everyStatement());
  assert.equal(new Set(all.map((s) => s.id)).size, all.length);
  assert.equal(all[0].id, "00000000-0000-4000-8000-000000000001");
  assert.ok(all.every((s) => s.timestamp === "2024-05-01T12:00:00.000Z"));
});

test("the default uuid is a random v4 UUID per statement", () => {
  const b = createStatements({ actor: ACTOR, course: COURSE });
  const [x, y] = [b.initialized().id, b.initialized().id];
  assert.match(x, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(x, y);
});

test("the actor must be an account; an mbox only when it comes from a launch", () => {
  const mbox = { mbox: "mailto:a@b.org", name: "A" };
  assert.throws(() => createStatements({ actor: mbox, course: COURSE }), TypeError);
  assert.throws(() => createStatements({ actor: { mbox: "a@b.org" }, course: COURSE, fromLaunch: true }),
    TypeError);
  const s = builders().initialized();
  assert.deepEqual(s.actor, { objectType: "Agent", account: ACTOR.account });
  const launched = createStatements({ actor: mbox, course: COURSE, fromLaunch: true }).initialized();
  assert.deepEqual(launched.actor, { objectType: "Agent", mbox: "mailto:a@b.org", name: "A" });
  assert.deepEqual(validate(JSON.parse(JSON.stringify(launched))), []);
});

test("the course activity may carry the launch's activity id; the rest stay under course.id", () => {
  const b = createStatements({ actor: ACTOR, course: COURSE, activityId: "https://lms.example.org/a/9" });
  assert.equal(b.initialized().object.id, "https://lms.example.org/a/9");
  const page = b.experienced({ key: "m1/intro", module: "m1" });
  assert.equal(page.object.id, `${COURSE.id}/m1/intro`);
  assert.deepEqual(page.context.contextActivities.grouping.map((a) => a.id), ["https://lms.example.org/a/9"]);
});

test("verbs are the ADL IRIs and the context carries registration, language, platform, version", () => {
  const s = everyStatement();
  assert.equal(s.passed.verb.id, "http://adlnet.gov/expapi/verbs/passed");
  assert.deepEqual(s.suspended.verb, { id: `${ADL}verbs/suspended`, display: { "en-US": "suspended" } });
  for (const st of Object.values(s)) {
    assert.equal(st.context.registration, REGISTRATION);
    assert.equal(st.context.language, "en-GB");
    assert.equal(st.context.platform, "coursepack");
    assert.equal(st.context.extensions[EXT_COURSE_VERSION], "1.2.0");
    assert.deepEqual(st.context.contextActivities.category[0], { objectType: "Activity",
      id: `${PROFILE}/v1`, definition: { type: `${ADL}activities/profile` } });
  }
});

test("activity ids derive from the course IRI and are stable across launches", () => {
  const [a, b] = [everyStatement(), everyStatement()];
  assert.equal(a.experienced.object.id, "https://example.org/courses/trafficking/m1/intro");
  assert.equal(a.passed.object.id, activityIri(COURSE.id, "m1", "post-test"));
  assert.equal(activityIri("https://x.org/c/", "m1"), "https://x.org/c/m1");
  for (const name of Object.keys(a)) assert.equal(a[name].object.id, b[name].object.id, name);
});

test("parents and groupings place pages and questions in module and course", () => {
  const s = everyStatement();
  const ids = (list) => (list ?? []).map((x) => x.id);
  assert.deepEqual(ids(s.experienced.context.contextActivities.parent), [`${COURSE.id}/m1`]);
  assert.deepEqual(ids(s.experienced.context.contextActivities.grouping), [COURSE.id]);
  const q = s["answered single"];
  assert.deepEqual(ids(q.context.contextActivities.parent), [`${COURSE.id}/m1/post-test`]);
  assert.deepEqual(ids(q.context.contextActivities.grouping), [`${COURSE.id}/m1`, COURSE.id]);
  assert.equal(s.completedModule.object.definition.type, `${ADL}activities/module`);
  assert.deepEqual(ids(s.completedModule.context.contextActivities.parent), [COURSE.id]);
});

test("pre-test and post-test are told apart by id, verb and the assessment-kind extension", () => {
  const s = everyStatement();
  assert.equal(s.preTest.verb.id, `${ADL}verbs/completed`);
  assert.equal(s.preTest.context.extensions[EXT_ASSESSMENT_KIND], "pre-test");
  assert.equal(s.passed.context.extensions[EXT_ASSESSMENT_KIND], "post-test");
  assert.notEqual(s.preTest.object.id, s.passed.object.id);
  assert.equal(s.preTest.result.success, undefined);
});

test("results carry score, success, completion and duration where they apply", () => {
  const s = everyStatement();
  assert.deepEqual(s.passed.result, { score: { scaled: 0.9, raw: 9, min: 0, max: 10 },
    duration: "PT10M", success: true });
  assert.equal(s.failed.result.success, false);
  assert.equal(s.failed.result.duration, "PT1.5S");
  assert.deepEqual(s.completedCourse.result, { completion: true, duration: "PT1H2M3.45S" });
  assert.deepEqual(s.progressed.result, { extensions: { [EXT_PROGRESS]: 46 } });
  assert.equal(s.terminated.result.duration, "PT0S");
  assert.equal(s.initialized.result, undefined);
});

test("answered: the object is the description's activity, its definition the description's", () => {
  const s = everyStatement();
  for (const [name, interaction] of Object.entries(DESCRIBED)) {
    const { object } = s[`answered ${name}`];
    assert.equal(object.id, interaction.iri, name);
    assert.equal(object.definition.interactionType, interaction.type, name);
    assert.deepEqual(object.definition.correctResponsesPattern,
      interaction.correct.xapi.length ? interaction.correct.xapi : undefined, name);
    assert.deepEqual(object.definition.description, { "en-GB": interaction.description }, name);
  }
});

test("answered: components carry the description's texts in the course language", () => {
  const def = (name) => interactionDefinition(DESCRIBED[name], "fr");
  assert.deepEqual(def("single").choices, [{ id: "a", description: { fr: "A" } },
    { id: "b", description: { fr: "B" } }, { id: "c", description: { fr: "C" } }]);
  assert.deepEqual(def("matching").source.map((c) => c.id), ["0", "1"]);
  assert.deepEqual(def("matching").target[1], { id: "b", description: { fr: "Means" } });
  assert.deepEqual(def("sequencing").choices.map((c) => c.description.fr), ["one", "two", "three"]);
  assert.deepEqual(def("likert").scale.map((c) => c.id), ["a", "b", "c"]);
  assert.equal(def("likert").correctResponsesPattern, undefined);
  assert.deepEqual(def("scenario").steps, [{ id: "start", description: { fr: "Passport kept?" } },
    { id: "screening", description: { fr: "Next?" } }]);
  assert.deepEqual(Object.keys(def("true-false")).sort(),
    ["correctResponsesPattern", "description", "interactionType", "name", "type"]);
  assert.deepEqual(def("fill-in").correctResponsesPattern, DESCRIBED["fill-in"].correct.xapi);
});

test("answered: result.response is formatResponse('xapi', …), success only when scored", () => {
  const s = everyStatement();
  for (const [name, [, correct, expected]] of Object.entries(ANSWERS)) {
    const { result } = s[`answered ${name}`];
    assert.equal(result.response, expected, name);
    assert.equal(result.success, correct ?? undefined, name);
    assert.equal(result.duration, "PT5S", name);
  }
});

test("answered: a check's parent is its module's checks, a survey has no module", () => {
  const s = everyStatement();
  const ids = (list) => (list ?? []).map((x) => x.id);
  assert.deepEqual(ids(s.check.context.contextActivities.parent), [`${COURSE.id}/m1/check`]);
  assert.notEqual(s.check.object.id, s.check.context.contextActivities.parent[0].id);
  assert.deepEqual(ids(s.check.context.contextActivities.grouping), [`${COURSE.id}/m1`, COURSE.id]);
  assert.deepEqual(ids(s.survey.context.contextActivities.parent), [`${COURSE.id}/survey`]);
  assert.deepEqual(ids(s.survey.context.contextActivities.grouping), [COURSE.id]);
  assert.equal(s.survey.context.extensions[EXT_ASSESSMENT_KIND], "survey");
});

test("the follow-up unit reports about itself and groups everything under the course IRI", () => {
  let n = 0;
  const followUp = { id: `${COURSE.id}/follow-up`, courseTitle: COURSE.title };
  const build = createStatements({ actor: ACTOR, registration: REGISTRATION,
    course: { ...COURSE, title: "Three months on", followUp },
    uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`, now: () => 0 });
  const retention = { key: "follow-up/retention-test", kind: "retention-test", module: "" };
  const groupingOf = (s) => s.context.contextActivities.grouping.map((a) => a.id);
  const started = build.initialized();
  assert.equal(started.object.id, followUp.id);
  assert.equal(started.object.definition.type, `${PROFILE}/activity-types/follow-up`);
  assert.deepEqual(groupingOf(started), [COURSE.id]);
  const answer = build.answered({ interaction: { ...DESCRIBED.single,
    iri: `${COURSE.id}/follow-up/retention-test/q1` }, response: ["b"], correct: true,
  assessment: retention });
  assert.deepEqual(answer.context.contextActivities.parent.map((a) => a.id),
    [`${COURSE.id}/follow-up/retention-test`]);
  assert.deepEqual(groupingOf(answer), [followUp.id, COURSE.id]);
  assert.equal(answer.context.extensions[EXT_ASSESSMENT_KIND], "retention-test");
  assert.equal(answer.context.extensions[EXT_COURSE_VERSION], "1.2.0");
  const done = build.completedAssessment(retention, { scaled: 0.75, raw: 3, min: 0, max: 4 });
  assert.deepEqual(done.result.score, { scaled: 0.75, raw: 3, min: 0, max: 4 });
  assert.equal(done.result.success, undefined);
  assert.equal(done.context.contextActivities.parent, undefined);
  const course = groupingOf(done).at(-1);
  assert.equal(course, COURSE.id);
  assert.equal(done.context.contextActivities.grouping.at(-1).definition.name["en-GB"], COURSE.title);
  for (const s of [build.completedCourse(), build.terminated({ durationMs: 5 })]) {
    assert.equal(s.object.id, followUp.id, "the course itself is never completed again");
  }
  for (const s of [started, answer, done]) assert.deepEqual(validate(JSON.parse(JSON.stringify(s))), []);
});
