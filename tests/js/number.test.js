import { test } from "node:test";
import assert from "node:assert/strict";

import { parseNumber } from "../../templates/runtime/util/number.js";

test("thousands separators are read as a learner means them", () => {
  assert.equal(parseNumber("9,071"), 9071);
  assert.equal(parseNumber("1,234,567"), 1234567);
  assert.equal(parseNumber("9 071"), 9071);
  assert.equal(parseNumber("9\u202f071"), 9071);
  assert.equal(parseNumber("1.234.567"), 1234567);
  assert.equal(parseNumber("1,000.5"), 1000.5);
  assert.equal(parseNumber("1.000,5"), 1000.5);
});

test("a single comma not followed by three digits is a decimal comma", () => {
  assert.equal(parseNumber("9,5"), 9.5);
  assert.equal(parseNumber("8,65"), 8.65);
  assert.equal(parseNumber("-0,5"), -0.5);
});

test("a trailing percent sign and spaces are ignored", () => {
  assert.equal(parseNumber("27%"), 27);
  assert.equal(parseNumber(" 8.6 % "), 8.6);
});

test("anything else is not a number", () => {
  for (const bad of ["", "nine", "1,2,3", "1..2", "%", "12a", "1,000,5"]) {
    assert.ok(Number.isNaN(parseNumber(bad)), bad);
  }
});
