import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Scorm12API, Scorm2004API } from "scorm-again";
import {
  formatResponse, interactionValues12, interactionValues2004, resultValue,
} from "../../templates/runtime/util/interactions.js";
import { createAdapter as create12 } from "../../templates/runtime/lms/scorm12.js";
import { createAdapter as create2004 } from "../../templates/runtime/lms/scorm2004.js";

// Interaction descriptions exactly as builder/interactions.py writes them (kept in sync by
// tests/test_interactions.py::test_js_fixture_is_what_the_builder_describes).
const FIXTURE = JSON.parse(readFileSync(new URL("./interactions.fixture.json", import.meta.url)));
const DESCRIBED = FIXTURE.interactions;
const WHEN = new Date(2024, 0, 2, 13, 4, 5).getTime(); // Local time, as SCORM writes it.

// One answer per question type, in the shapes ui/quiz.js reads: [type, response, correct,
// SCORM 1.2 student_response, SCORM 2004 learner_response].
const CASES = [
  ["single", ["b"], true, "b", "b"],
  ["multiple", ["c", "a"], false, "c,a", "c[,]a"],
  ["true-false", ["false"], true, "f", "false"],
  ["matching", ["b", "a"], false, "0.b,1.a", "0[.]b[,]1[.]a"],
  ["sequencing", ["c", "a", "b"], false, "c,a,b", "c[,]a[,]b"],
  ["fill-in", ["  palermo   protocol "], true, "palermo protocol", "palermo protocol"],
  ["numeric", ["9071,5"], true, "9071.5", "9071.5"],
  ["likert", ["c"], null, "c", "c"],
  ["scenario", ["0", "1"], true, "start.0,screening.1", "start[.]0[,]screening[.]1"],
  ["text", ["Ask, early,  for an assessment\nof the plea"], null,
    "Ask, early, for an assessment of the plea", "Ask, early, for an assessment of the plea"],
];

for (const [name, response, , r12, r2004] of CASES) {
  test(`formatResponse: ${name} in each standard`, () => {
    const interaction = DESCRIBED[name];
    assert.equal(formatResponse("scorm12", interaction, response), r12);
    assert.equal(formatResponse("scorm2004", interaction, response), r2004);
    assert.equal(formatResponse("xapi", interaction, response), r2004);
  });
}

test("formatResponse: empty and invalid answers give nothing to report", () => {
  for (const name of Object.keys(DESCRIBED)) {
    if (name === "fill-in") continue;
    assert.equal(formatResponse("scorm2004", DESCRIBED[name], []), "", name);
  }
  assert.equal(formatResponse("scorm12", DESCRIBED["true-false"], ["maybe"]), "");
  assert.equal(formatResponse("scorm12", DESCRIBED["true-false"], ["constructor"]), "");
  assert.equal(formatResponse("scorm2004", DESCRIBED.numeric, ["nine"]), "");
  assert.equal(formatResponse("scorm2004", DESCRIBED.numeric, ["1e21"]), "");
  assert.equal(formatResponse("scorm2004", DESCRIBED.scenario, ["7"]), "");
  assert.equal(formatResponse("scorm2004", DESCRIBED.sequencing, ["", "b", ""]), "b");
});

test("formatResponse: scalars and objects are accepted too", () => {
  assert.equal(formatResponse("scorm12", DESCRIBED["true-false"], true), "t");
  assert.equal(formatResponse("scorm2004", DESCRIBED["true-false"], false), "false");
  assert.equal(formatResponse("scorm2004", DESCRIBED.single, "a"), "a");
  assert.equal(formatResponse("scorm2004", DESCRIBED.numeric, 42.5), "42.5");
  assert.equal(formatResponse("scorm2004", DESCRIBED.numeric, 1e-7), "0.0000001");
  assert.equal(formatResponse("scorm2004", DESCRIBED.matching, { 0: "b", 1: "a" }), "0[.]b[,]1[.]a");
  assert.equal(formatResponse("scorm12", DESCRIBED.matching, { 1: "a" }), "1.a");
});

test("formatResponse: SCORM 1.2 responses are cut to 255 characters, lists at a whole item", () => {
  assert.equal(formatResponse("scorm12", DESCRIBED["fill-in"], ["é".repeat(300)]), "é".repeat(255));
  const steps = Array.from({ length: 12 }, (_, i) => ({
    id: `step-${String(i).padStart(2, "0")}-${"x".repeat(40)}`,
    options: [{ id: "0", next: i < 11 ? `step-${String(i + 1).padStart(2, "0")}-${"x".repeat(40)}` : null }],
  }));
  const long = { ...DESCRIBED.scenario, steps };
  const picks = Array(12).fill("0");
  const r12 = formatResponse("scorm12", long, picks);
  assert.ok(r12.length <= 255 && r12.length > 200, r12);
  assert.match(r12, /^(step-\d\d-x{40}\.0,)*step-\d\d-x{40}\.0$/);
  assert.equal(formatResponse("scorm2004", long, picks).split("[,]").length, 12);
});

test("formatResponse: SCORM 2004 fill-in responses fit the characterstring rules", () => {
  const fillIn = DESCRIBED["fill-in"];
  assert.equal(formatResponse("scorm2004", fillIn, ["{lang=x} a[,]b\nc"]), "(lang=x) a,b c");
  assert.equal(formatResponse("scorm2004", fillIn, ["1,2,3,4,5,6,7,8,9,10,11"]), "1;2;3;4;5;6;7;8;9;10;11");
  assert.equal(formatResponse("scorm2004", fillIn, ["x".repeat(300)]).length, 250);
  assert.equal(formatResponse("xapi", fillIn, ["a[,]b"]), "a,b");
});

test("formatResponse: free text is long-fill-in, cut for SCORM 1.2 only, never half a pair", () => {
  const open = DESCRIBED.text;
  const long = `{x} ${"a, b ".repeat(100)}\u{1F600}${"z".repeat(4000)}`;
  const r12 = formatResponse("scorm12", open, [long.slice(0, 300)]);
  assert.equal(r12.length, 255);
  assert.equal(formatResponse("scorm12", open, ["y".repeat(254) + "\u{1F600}"]), "y".repeat(254));
  const r2004 = formatResponse("scorm2004", open, [long]);
  assert.ok(r2004.startsWith("(x} a, b a, b"), "no leading {, commas kept");
  assert.equal(r2004.length, 4000);
  assert.equal(formatResponse("xapi", open, [long]), long, "xAPI keeps the whole answer");
  const [, type12] = interactionValues12(0, { interaction: open, response: ["x"], correct: null })
    .find(([name]) => name.endsWith(".type"));
  const [, type2004] = interactionValues2004(0, { interaction: open, response: ["x"], correct: null })
    .find(([name]) => name.endsWith(".type"));
  assert.deepEqual([type12, type2004], ["fill-in", "long-fill-in"]);
});

test("resultValue: each standard's vocabulary", () => {
  assert.deepEqual([true, false, null].map((c) => resultValue("scorm12", c)), ["correct", "wrong", "neutral"]);
  assert.deepEqual([true, false, undefined].map((c) => resultValue("scorm2004", c)),
    ["correct", "incorrect", "neutral"]);
});

test("the values are written id first, then type before correct_responses and responses", () => {
  const record = { interaction: DESCRIBED.multiple, response: ["a"], correct: false, latencyMs: 1500, timestamp: WHEN };
  for (const [values, response] of [
    [interactionValues12(4, record), "student_response"],
    [interactionValues2004(4, record), "learner_response"],
  ]) {
    const names = values.map(([element]) => element.replace("cmi.interactions.4.", ""));
    assert.equal(names[0], "id");
    const type = names.indexOf("type");
    assert.ok(type > 0 && type < names.indexOf("correct_responses.0.pattern"));
    assert.ok(type < names.indexOf(response));
  }
  const noBuildCut = { ...DESCRIBED.single, description2004: undefined, description: "{w} ".repeat(100) };
  const description = interactionValues2004(0, { ...record, interaction: noBuildCut }).at(-1);
  assert.equal(description[0], "cmi.interactions.0.description");
  assert.equal(description[1].length, 250);
  assert.ok(description[1].startsWith("(w}"));
});

// Against scorm-again, a real validating LMS runtime for each standard.

function session(Api, create, key) {
  const api = new Api({ logLevel: 5 });
  const lms = create({ win: { [key]: api }, now: () => 0 });
  lms.start();
  for (const [name, response, correct] of CASES) {
    lms.recordInteraction({ interaction: DESCRIBED[name], response, correct, latencyMs: 3500, timestamp: WHEN });
  }
  return { api, lms, cmi: () => api.renderCommitCMI(true).cmi };
}

test("scorm-again 1.2: one interaction of every type is stored as written", () => {
  const { lms, cmi } = session(Scorm12API, create12, "API");
  const stored = Object.values(cmi().interactions);
  assert.equal(stored.length, CASES.length);
  CASES.forEach(([name, , correct, r12], n) => {
    const it = stored[n];
    const described = DESCRIBED[name];
    assert.equal(it.id, described.scormId);
    assert.match(it.id, /^[A-Za-z0-9_-]{1,255}$/);
    assert.equal(it.type, described.scorm12Type ?? described.type);
    assert.equal(it.time, "13:04:05");
    assert.equal(it.student_response, r12);
    assert.equal(it.result, { true: "correct", false: "wrong", null: "neutral" }[correct]);
    assert.match(it.latency, /^0*:?0*:?00:03\.5$/);
    assert.deepEqual(Object.values(it.correct_responses).map((c) => c.pattern), described.correct.scorm12);
    assert.deepEqual(Object.values(it.objectives).map((o) => o.id), described.objective ? ["m1"] : []);
    assert.equal(it.weighting, name === "likert" || name === "text" ? "0" : "1");
  });
  assert.deepEqual(lms.errors, []);
});

test("scorm-again 2004: one interaction of every type is stored as written", () => {
  const { lms, cmi } = session(Scorm2004API, create2004, "API_1484_11");
  const stored = Object.values(cmi().interactions);
  assert.equal(stored.length, CASES.length);
  CASES.forEach(([name, , correct, , r2004], n) => {
    const it = stored[n];
    const described = DESCRIBED[name];
    assert.equal(it.id, described.scormId);
    assert.equal(it.type, described.type);
    assert.equal(it.timestamp, "2024-01-02T13:04:05");
    assert.equal(it.learner_response, r2004);
    assert.equal(it.result, { true: "correct", false: "incorrect", null: "neutral" }[correct]);
    assert.equal(it.latency, "PT3.5S");
    assert.equal(it.description, described.description2004);
    assert.deepEqual(Object.values(it.correct_responses).map((c) => c.pattern), described.correct.scorm2004);
    assert.deepEqual(Object.values(it.objectives).map((o) => o.id),
      described.objective ? [FIXTURE.objective.scormId] : []);
  });
  assert.deepEqual(lms.errors, []);
});

test("scorm-again 2004: a retake appends new entries under the same ids", () => {
  const { lms, cmi } = session(Scorm2004API, create2004, "API_1484_11");
  lms.recordInteraction({ interaction: DESCRIBED.single, response: ["a"], correct: false, timestamp: WHEN });
  const stored = Object.values(cmi().interactions);
  assert.equal(stored.length, CASES.length + 1);
  assert.equal(stored.at(-1).id, stored[0].id);
  assert.equal(stored.at(-1).learner_response, "a");
  assert.equal(stored.at(-1).latency, "");
  assert.deepEqual(lms.errors, []);
});

test("scorm-again 1.2: one objective entry per module, updated in place", () => {
  const { api, lms, cmi } = session(Scorm12API, create12, "API");
  lms.setObjective({ ...FIXTURE.objective, raw: 3, min: 0, max: 4, success: null, completion: false });
  lms.setObjective({ scormId: "m2", iri: "x", scaled: 0.5, success: false, completion: true });
  lms.setObjective({ ...FIXTURE.objective, raw: 4, min: 0, max: 4, success: true, completion: true });
  assert.equal(String(api.LMSGetValue("cmi.objectives._count")), "2");
  assert.deepEqual(cmi().objectives, {
    0: { id: "m1", status: "passed", score: { raw: "100", min: "0", max: "100" } },
    1: { id: "m2", status: "failed", score: { raw: "50", min: "0", max: "100" } },
  });
  assert.deepEqual(lms.errors, []);
});

test("scorm-again 2004: objectives keep score, success and completion apart", () => {
  const { lms, cmi } = session(Scorm2004API, create2004, "API_1484_11");
  lms.setObjective({ ...FIXTURE.objective, raw: 3, min: 0, max: 4, completion: false });
  lms.setObjective({ ...FIXTURE.objective, raw: 4, min: 0, max: 4, success: true, completion: true });
  lms.setObjective({ scormId: "m2", iri: "https://courses.example.org/htp/m2#objective", scaled: 0.25, success: false });
  const objectives = Object.values(cmi().objectives);
  assert.equal(objectives.length, 2);
  assert.equal(objectives[0].id, FIXTURE.objective.scormId);
  assert.deepEqual(objectives[0].score, { scaled: "1", raw: "4", min: "0", max: "4" });
  assert.equal(objectives[0].success_status, "passed");
  assert.equal(objectives[0].completion_status, "completed");
  assert.deepEqual(objectives[1].score, { scaled: "0.25", raw: "25", min: "0", max: "100" });
  assert.equal(objectives[1].success_status, "failed");
  assert.equal(objectives[1].completion_status, "unknown");
  assert.deepEqual(lms.errors, []);
});

test("scorm-again 2004: an objective the LMS already knows is found by id, not duplicated", () => {
  const api = new Scorm2004API({ logLevel: 5 });
  api.loadFromJSON({ objectives: { 0: { id: "CP-primary" }, 1: { id: FIXTURE.objective.scormId } } });
  const lms = create2004({ win: { API_1484_11: api }, now: () => 0 });
  lms.start();
  lms.setObjective({ ...FIXTURE.objective, scaled: 0.9, success: true });
  const objectives = Object.values(api.renderCommitCMI(true).cmi.objectives);
  assert.equal(objectives.length, 2);
  assert.equal(objectives[1].score.scaled, "0.9");
  assert.equal(objectives[1].success_status, "passed");
  assert.deepEqual(lms.errors, []);
});
