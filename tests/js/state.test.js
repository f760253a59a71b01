import { test } from "node:test";
import assert from "node:assert/strict";
import {
  decodeResponse, decodeState, encodeResponse, encodeState, packSeen, unpackSeen,
} from "../../templates/runtime/util/state.js";

const Q = {
  single: { type: "single", choices: ["a", "b", "c"] },
  multiple: { type: "multiple", choices: ["a", "b", "c", "d"] },
  tf: { type: "true-false", choices: ["true", "false"] },
  likert: { type: "likert", choices: ["a", "b", "c", "d", "e"], scored: false },
  matching: { type: "matching", choices: ["a", "b", "c"], correct: ["a", "b", "c"] },
  sequencing: { type: "sequencing", choices: ["a", "b"], correct: ["a", "b"] },
  scenario: { type: "scenario", steps: [{ id: "s" }, { id: "t" }, { id: "u" }] },
  fill: { type: "fill-in", maxLength: 12 },
  numeric: { type: "numeric", maxLength: 32 },
};
const ASSESSMENTS = {
  "m/pre-test": { kind: "pre-test", attempts: 1, questions: [Q.single, Q.tf] },
  "m/check/c": { kind: "check", attempts: 1, questions: [Q.multiple] },
  "m/post-test": { kind: "post-test", attempts: 0, draw: 3,
    questions: [Q.matching, Q.sequencing, Q.scenario, Q.fill, Q.numeric] },
  survey: { kind: "survey", attempts: 1, questions: [Q.likert] },
};
const attempt = (seed, order, responses, submitted = true) => ({ seed, order, responses, submitted });
const STATE = {
  seen: [true, false, true, true, false, true],
  records: {
    "m/pre-test": { count: 1, best: 0.5, attempt: attempt(46655, [1, 0], [["false"], ["c"]]) },
    "m/check/c": { count: 1, best: 1, attempt: attempt(0, [0], [["d", "a"]]) },
    "m/post-test": { count: 3, best: 0.8765,
      attempt: attempt(1679615, [3, 2, 0], [["a|b~c\\d \u00e9\u{1F600}"], ["1", "0"], ["", "c", ""]], false) },
    survey: { count: 1, best: null, attempt: attempt(5, [0], [["e"]]) },
  },
};

test("every type of response encodes to its documented form and back", () => {
  const cases = [
    [Q.single, ["b"], "b"], [Q.multiple, ["d", "a"], "da"], [Q.tf, ["true"], "t"],
    [Q.tf, ["false"], "f"], [Q.likert, ["e"], "e"], [Q.matching, ["c", "", "a"], "c-a"],
    [Q.sequencing, ["b", "a"], "ba"], [Q.scenario, ["0", "2"], "02"],
    [Q.fill, ["x|y~z\\"], "x\\2y\\1z\\\\"], [Q.numeric, ["9071,5"], "9071,5"],
  ];
  for (const [q, response, text] of cases) {
    assert.equal(encodeResponse(q, response), text, `${q.type} ${response}`);
    assert.deepEqual(decodeResponse(q, text), response, `${q.type} ${text}`);
  }
  for (const q of Object.values(Q)) assert.deepEqual(decodeResponse(q, encodeResponse(q, [])), []);
});

test("responses are cut to what the build budgeted for", () => {
  assert.equal(encodeResponse(Q.single, ["a", "b"]), "a", "one choice only");
  assert.equal(encodeResponse(Q.multiple, ["a", "zz", "q", "a"]), "a", "only known one-character ids");
  assert.equal(encodeResponse(Q.scenario, ["1", "1", "1", "1", "1"]), "111", "no more picks than steps");
  assert.equal(encodeResponse(Q.scenario, ["1", "x", "1"]), "1");
  assert.equal(encodeResponse(Q.fill, ["123456789012345"]), "123456789012");
  // A character outside the BMP is never cut in half.
  assert.equal(encodeResponse(Q.fill, ["12345678901\u{1F600}"]), "12345678901");
});

test("a whole state round-trips, in progress and submitted, with its draws and counts", () => {
  const text = encodeState(STATE, ASSESSMENTS);
  assert.ok(text.startsWith("26.d2~0.1.3uw.s0zzz.1,0:f|c~1.1.7ps.s0000.0:da~2.3.6rh.pzzzz."), text);
  const back = decodeState(text, ASSESSMENTS);
  assert.equal(back.n, 6);
  assert.deepEqual(back.seen, STATE.seen);
  const post = back.records["m/post-test"];
  assert.deepEqual(post.attempt, { ...STATE.records["m/post-test"].attempt,
    responses: [["a|b~c\\d \u00e9\u{1F600}".slice(0, 12)], ["1", "0"], ["", "c", ""]] });
  assert.equal(post.best, 0.8765);
  assert.equal(post.count, 3);
  assert.deepEqual(back.records.survey, STATE.records.survey);
  assert.deepEqual(back.records["m/pre-test"], STATE.records["m/pre-test"]);
});

test("state levels leave out check answers, then every answer", () => {
  const one = decodeState(encodeState(STATE, ASSESSMENTS, 1), ASSESSMENTS);
  assert.equal(one.records["m/check/c"], undefined);
  assert.deepEqual(one.records["m/post-test"].attempt.responses[1], ["1", "0"]);
  const two = decodeState(encodeState(STATE, ASSESSMENTS, 2), ASSESSMENTS);
  assert.equal(two.records["m/post-test"].attempt.responses, null);
  assert.deepEqual(two.records["m/post-test"].attempt.order, [3, 2, 0]);
  assert.equal(two.records["m/pre-test"].best, 0.5);
  assert.ok(encodeState(STATE, ASSESSMENTS, 2).length < encodeState(STATE, ASSESSMENTS, 1).length);
});

test("decodeState returns null on anything empty or of another version, and skips bad entries", () => {
  for (const bad of [null, undefined, 42, {}, "", "1{}", "2", "2x", "2.", "3a.ff"]) {
    assert.equal(decodeState(bad, ASSESSMENTS), null, `for ${JSON.stringify(bad)}`);
  }
  const text = "23.5~0.1..s0000.0,1:a|t~9.1..s0000.0:a~0.1..s0000.7:a~2.1..s0000.0,0:-|-"
    + "~2.1..s0000.0,1:a";
  const back = decodeState(text, ASSESSMENTS);
  assert.deepEqual(back.seen, [true, false, true]);
  assert.deepEqual(Object.keys(back.records), ["m/pre-test"], "unknown, out of range, repeated, wrong count");
});

test("packSeen puts four sections in each hex digit and unpackSeen reverses it", () => {
  assert.equal(packSeen([true, true, true, false, true]), "71");
  const flags = [true, false, true, true, false, false, true, false, true];
  assert.deepEqual(unpackSeen(packSeen(flags), flags.length), flags);
  assert.deepEqual(unpackSeen("zz", 3), [false, false, false]);
});
