import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeState, encodeState } from "../../templates/runtime/util/state.js";

test("encodeState round-trips through decodeState", () => {
  const state = { seen: [0, 1, 4], answers: { "m1/post-test": { q1: ["b"] } }, title: "Ünïcode ✓" };
  const text = encodeState(state);
  assert.equal(typeof text, "string");
  assert.ok(text.startsWith("1"), "version marker first");
  assert.deepEqual(decodeState(text), state);
});

test("encodeState is compact (no whitespace)", () => {
  assert.equal(encodeState({ a: 1, b: [1, 2] }), '1{"a":1,"b":[1,2]}');
});

test("encodeState rejects values that are not plain objects", () => {
  for (const bad of [null, undefined, 3, "x", [1]]) {
    assert.throws(() => encodeState(bad), TypeError);
  }
});

test("decodeState returns null on anything malformed and never throws", () => {
  const bad = [null, undefined, 42, {}, "", "1", "1{", "2{}", "{}", "1[]", "1null", '1"x"', "1 7"];
  for (const text of bad) {
    assert.equal(decodeState(text), null, `for ${JSON.stringify(text)}`);
  }
});
