// The course data contract from the runtime's side: the JSON Schema the build publishes
// (docs/course-data.schema.json, generated from builder/course_data.py) validates the data a
// real build made (course-data.sample.json, kept current by tests/test_course_data.py), refuses
// what does not fit, and the runtime's modules run on that data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import { createTracker } from "../../templates/runtime/tracker.js";
import { scoreAttempt } from "../../templates/runtime/ui/quiz.js";
import { encodeState, decodeState } from "../../templates/runtime/util/state.js";
import { interactionsWritten } from "../../templates/runtime/util/answers.js";

const read = (url) => JSON.parse(readFileSync(new URL(url, import.meta.url)));
const schema = read("../../docs/course-data.schema.json");
const sample = read("./course-data.sample.json");
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

test("the data a real build made fits the published schema", () => {
  assert.equal(validate(sample), true, JSON.stringify(validate.errors));
});

test("the schema refuses an unknown field, a wrong type, a missing field, a number out of range", () => {
  const copy = () => structuredClone(sample);
  const extra = copy();
  extra.assessments["all/post-test"].questions[0].hint = "x";
  const wrong = copy();
  wrong.course.masteryScore = "80";
  const missing = copy();
  delete missing.pages[0].title;
  const high = copy();
  high.course.masteryScore = 180;
  const light = copy();
  light.assessments["all/post-test"].questions[0].weight = 0;
  for (const bad of [extra, wrong, missing, high, light]) assert.equal(validate(bad), false);
});

test("the runtime runs on it: tracker, state codec, interaction count", () => {
  const tracker = createTracker({ pages: sample.pages, assessments: sample.assessments,
    completion: sample.course.completion, score: scoreAttempt });
  for (const page of sample.pages) tracker.view(page.key);
  const status = tracker.status(sample.course.masteryScore);
  assert.equal(status.seen, sample.pages.length);
  const text = encodeState(tracker.snapshot(), sample.assessments, sample.stateLevel);
  assert.deepEqual(decodeState(text, sample.assessments).seen, tracker.snapshot().seen);
  assert.equal(interactionsWritten(sample.course.interactions, sample.assessments, tracker), 0);
});
