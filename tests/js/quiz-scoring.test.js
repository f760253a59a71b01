// ui/quiz.js's pure parts: the draw and order of questions, the score of an attempt and its wording.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  describeScore, permutation, pickOrder, scoreAttempt, seeded, TYPES,
} from "../../templates/runtime/ui/quiz.js";
import { decodeState, encodeState } from "../../templates/runtime/util/state.js";
import { readFileSync } from "node:fs";
import { setMessages } from "../../templates/runtime/util/messages.js";

// The pages speak the course's language; these tests read the English catalogue.
setMessages(JSON.parse(readFileSync(new URL("../../templates/messages/en.json", import.meta.url))));
import { Q } from "./quiz-fixtures.mjs";

test("permutation returns every index once", () => {
  for (const seed of [1, 2, 3]) {
    const p = permutation(7, seeded(seed));
    assert.deepEqual([...p].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6]);
  }
  assert.deepEqual(permutation(0), []);
});

test("pickOrder keeps authored order unless asked to draw or shuffle", () => {
  assert.deepEqual(pickOrder(4, {}), [0, 1, 2, 3]);
  assert.deepEqual(pickOrder(4, { draw: 4 }, () => 0), [0, 1, 2, 3]);
  assert.deepEqual(pickOrder(4, { draw: 9 }, () => 0), [0, 1, 2, 3]);
});

test("pickOrder draws distinct questions, in authored order unless shuffled", () => {
  const drawn = pickOrder(10, { draw: 4 }, seeded(7));
  assert.equal(drawn.length, 4);
  assert.equal(new Set(drawn).size, 4);
  assert.deepEqual(drawn, [...drawn].sort((a, b) => a - b));
  assert.ok(drawn.every((i) => i >= 0 && i < 10));
  const shuffled = pickOrder(10, { shuffle: true }, seeded(7));
  assert.notDeepEqual(shuffled, [...Array(10).keys()]);
  assert.deepEqual(pickOrder(10, { shuffle: true }, seeded(7)), shuffled);
});

test("scoreAttempt sums the weights of the questions shown and skips unscored ones", () => {
  const likert = { id: "l", type: "likert", weight: 1, scored: false, choices: ["a", "b"] };
  const assessment = { questions: [Q.one, Q.many, Q.tf, likert, { id: "z", type: "zzz", weight: 1 }] };
  const all = { order: [0, 1, 2, 3, 4], responses: [["b"], ["a", "c"], ["true"], ["a"], ["x"]] };
  assert.deepEqual(scoreAttempt(assessment, all),
    { earned: 3, possible: 4, correct: [true, true, false, null, null] });
  const drawn = { order: [2, 0], responses: [["false"], ["c"]] };
  assert.deepEqual(scoreAttempt(assessment, drawn), { earned: 1, possible: 2, correct: [true, false] });
  const unscored = { questions: [{ ...Q.one, scored: false }] };
  assert.deepEqual(scoreAttempt(unscored, { order: [0], responses: [["b"]] }).possible, 0);
});

test("free text is never scored, never right or wrong, and may be left empty", () => {
  const open = { id: "o", type: "text", weight: 1, scored: false, maxLength: 400 };
  const assessment = { kind: "survey", questions: [open] };
  for (const responses of [[["I will ask for an assessment"]], [[]]]) {
    assert.deepEqual(scoreAttempt(assessment, { order: [0], responses }),
      { earned: 0, possible: 0, correct: [null] });
  }
  assert.equal(TYPES.text.answered(open, []), true);
  assert.equal(TYPES.text.credit({ ...open, scored: true }, ["anything"]), 0);
  const state = { seen: [false], records: { survey: { count: 1, best: null,
    attempt: { seed: 1, order: [0], responses: [["a | b ~ c\nd"]], submitted: true } } } };
  const back = decodeState(encodeState(state, { survey: assessment }), { survey: assessment });
  assert.deepEqual(back.records.survey.attempt.responses, [["a | b ~ c\nd"]]);
});

test("describeScore counts questions and gives the weighted percentage", () => {
  assert.equal(describeScore({ earned: 3, possible: 4, correct: [true, true, false] }),
    "You answered 2 of 3 questions correctly (75%).");
  assert.equal(describeScore({ earned: 1, possible: 1, correct: [true] }), "Correct.");
  assert.match(describeScore({ earned: 0, possible: 1, correct: [false] }), /^Not quite/);
});
