import { test } from "node:test";
import assert from "node:assert/strict";
import {
  EXT_ASSESSMENT_KIND, EXT_COURSE_VERSION, PROFILE_ID, PROFILE_VERSION, createStatements,
} from "../../templates/runtime/xapi/statements.js";
import { matching, profile, ruleProblems } from "./xapi-profile-match.mjs";

function launch() {
  return createStatements({
    actor: { account: { homePage: "https://lms.example.org", name: "l-1" } },
    course: { id: "https://example.org/courses/c", title: "C", version: "2.0.0", language: "en-US" },
    registration: "0b8e7f64-3a8e-4d1e-9a53-1f6d1d2a3b4c",
  });
}

test("the profile declares its id, version and own extensions with the runtime's IRIs", () => {
  assert.equal(profile.id, PROFILE_ID);
  assert.equal(profile.type, "Profile");
  assert.deepEqual(profile.versions.map((v) => v.id), [PROFILE_VERSION]);
  const ids = profile.concepts.map((c) => c.id);
  assert.deepEqual(ids.sort(), [EXT_ASSESSMENT_KIND, EXT_COURSE_VERSION].sort());
  for (const item of [...profile.concepts, ...profile.templates]) {
    assert.equal(item.inScheme, PROFILE_VERSION, item.id);
    assert.ok(item.id.startsWith(`${PROFILE_ID}/`), item.id);
  }
});

test("every statement the runtime builds matches exactly one template and follows its rules", () => {
  const b = launch();
  const post = { key: "m1/post-test", kind: "post-test", module: "m1" };
  const pre = { key: "m1/pre-test", kind: "pre-test", module: "m1" };
  const interaction = { iri: "https://example.org/courses/c/m1/pre-test/q1", type: "choice",
    description: "Which?", choices: [{ id: "a", text: "A" }, { id: "b", text: "B" }],
    correct: { xapi: ["a"] } };
  const score = { scaled: 0.5, raw: 1, min: 0, max: 2 };
  const statements = {
    initialized: b.initialized(), resumed: b.resumed(),
    experienced: b.experienced({ key: "m1/p1", module: "m1" }),
    answered: b.answered({ interaction, response: ["a"], correct: true, assessment: pre }),
    passed: b.passed(post, score, { durationMs: 1000 }),
    failed: b.failed(post, score, { durationMs: 1000 }),
    preTest: b.completedAssessment(pre, score),
    module: b.completedModule({ id: "m1" }), course: b.completedCourse({ durationMs: 5000 }),
    progressed: b.progressed(0.5), suspended: b.suspended({ durationMs: 10 }),
    terminated: b.terminated({ durationMs: 10 }),
  };
  const used = new Set();
  for (const [name, s] of Object.entries(statements)) {
    const found = matching(s);
    assert.equal(found.length, 1, `${name}: ${found.map((t) => t.id)}`);
    assert.deepEqual(ruleProblems(s, found[0]), [], name);
    used.add(found[0].id);
  }
  assert.equal(used.size, profile.templates.length, "every template is used by the runtime");
});

test("the rule check catches a statement that breaks a template", () => {
  const s = launch().passed({ key: "m1/post-test", kind: "pre-test", module: "m1" }, { scaled: 1 });
  const [t] = matching(s);
  const problems = ruleProblems(s, t);
  assert.ok(problems.some((p) => p.includes("score.raw")));
  assert.ok(problems.some((p) => p.includes("assessment-kind") && p.endsWith("not any")));
});
