import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import {
  ACTIVITY_TYPES, EXT_ASSESSMENT_KIND, EXT_COURSE_VERSION, EXT_PROGRESS, PROFILE_VERSION, VERBS,
  activityIri, createStatements,
} from "../../templates/runtime/xapi/statements.js";
import { formatResponse } from "../../templates/runtime/xapi/interactions.js";

const validate = createRequire(import.meta.url)("xapi-validation").default;

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

const QUESTIONS = [
  [{ id: "q1", type: "single", prompt: "Which elements?", choices: [{ id: "a", text: "Act" },
    { id: "b", text: "Means" }], correct: ["a"] }, "a"],
  [{ id: "q2", type: "multiple", choices: ["a", "b", "c"], correct: ["a", "c"] }, ["a", "c"]],
  [{ id: "q3", type: "true-false", choices: ["true", "false"], correct: ["false"] }, false],
  [{ id: "q4", type: "matching", pairs: [{ source: "Art. 8", target: "Directive" },
    { source: "Art. 26", target: "Convention" }] }, [[0, 0], [1, 1]]],
  [{ id: "q5", type: "sequencing", steps: ["Screen", "Refer", "Protect"] }, [0, 2, 1]],
  [{ id: "q6", type: "fill-in", answers: ["Palermo", "Palermo Protocol"] }, "Palermo"],
  [{ id: "q7", type: "numeric", range: [9000, 9100] }, 9071],
  [{ id: "q8", type: "numeric", answer: 2011 }, 2011],
  [{ id: "q9", type: "likert", scale: ["Disagree", "Neutral", "Agree"] }, 2],
  [{ id: "q10", type: "scenario", prompt: "A bail hearing." }, ["start.0", "screening.1"]],
];

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
  for (const [q, answer] of QUESTIONS) {
    out[`answered ${q.type} ${q.id}`] = b.answered(q, POST, { answer, success: true, durationMs: 5000 });
  }
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

test("the actor must be an account; an mbox actor is refused", () => {
  assert.throws(() => createStatements({ actor: { mbox: "mailto:a@b.org" }, course: COURSE }), TypeError);
  const s = builders().initialized();
  assert.deepEqual(s.actor, { objectType: "Agent", account: ACTOR.account });
});

test("verbs are the ADL IRIs and the context carries registration, language, platform, version", () => {
  const s = everyStatement();
  assert.equal(s.passed.verb.id, "http://adlnet.gov/expapi/verbs/passed");
  assert.equal(s.suspended.verb, VERBS.suspended);
  for (const st of Object.values(s)) {
    assert.equal(st.context.registration, REGISTRATION);
    assert.equal(st.context.language, "en-GB");
    assert.equal(st.context.platform, "coursepack");
    assert.equal(st.context.extensions[EXT_COURSE_VERSION], "1.2.0");
    assert.equal(st.context.contextActivities.category[0].id, PROFILE_VERSION);
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
  const q = s["answered single q1"];
  assert.deepEqual(ids(q.context.contextActivities.parent), [`${COURSE.id}/m1/post-test`]);
  assert.deepEqual(ids(q.context.contextActivities.grouping), [`${COURSE.id}/m1`, COURSE.id]);
  assert.equal(s.completedModule.object.definition.type, ACTIVITY_TYPES.module);
  assert.deepEqual(ids(s.completedModule.context.contextActivities.parent), [COURSE.id]);
});

test("pre-test and post-test are told apart by id, verb and the assessment-kind extension", () => {
  const s = everyStatement();
  assert.equal(s.preTest.verb.id, VERBS.completed.id);
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

test("interaction definitions follow the question model", () => {
  const s = everyStatement();
  const def = (id) => Object.values(s).find((x) => x.object.id.endsWith(`/${id}`)).object.definition;
  assert.deepEqual(def("q1").correctResponsesPattern, ["a"]);
  assert.deepEqual(def("q1").choices[0], { id: "a", description: { "en-GB": "Act" } });
  assert.deepEqual(def("q2").correctResponsesPattern, ["a[,]c"]);
  assert.equal(def("q3").interactionType, "true-false");
  assert.deepEqual(def("q4").correctResponsesPattern, ["s1[.]t1[,]s2[.]t2"]);
  assert.deepEqual(def("q5").correctResponsesPattern, ["s1[,]s2[,]s3"]);
  assert.deepEqual(def("q6").correctResponsesPattern, ["Palermo", "Palermo Protocol"]);
  assert.deepEqual(def("q7").correctResponsesPattern, ["9000[:]9100"]);
  assert.equal(def("q9").scale.length, 3);
  assert.equal(def("q9").correctResponsesPattern, undefined);
  assert.equal(def("q10").interactionType, "other");
});

test("responses use the same characterstring format", () => {
  const byId = Object.fromEntries(QUESTIONS.map(([q, a]) => [q.id, formatResponse(q, a)]));
  assert.deepEqual(byId, { q1: "a", q2: "a[,]c", q3: "false", q4: "s1[.]t1[,]s2[.]t2",
    q5: "s1[,]s3[,]s2", q6: "Palermo", q7: "9071", q8: "2011", q9: "l3", q10: "start.0[,]screening.1" });
});
