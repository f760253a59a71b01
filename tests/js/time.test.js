import { test } from "node:test";
import assert from "node:assert/strict";
import { iso8601Duration, scorm12Time } from "../../templates/runtime/util/time.js";

const HOUR = 3600000;
const CMI_TIMESPAN = /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/;
const ISO_DURATION = /^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?$/;

test("scorm12Time formats hours, minutes, seconds and hundredths", () => {
  assert.equal(scorm12Time(0), "0000:00:00.00");
  assert.equal(scorm12Time(HOUR + 2 * 60000 + 3450), "0001:02:03.45");
  assert.equal(scorm12Time(999), "0000:00:01.00");
  assert.equal(scorm12Time(5), "0000:00:00.01");
  assert.equal(scorm12Time(123 * HOUR), "0123:00:00.00");
});

test("scorm12Time caps at 9999 hours and treats bad input as zero", () => {
  assert.equal(scorm12Time(10000 * HOUR), "9999:59:59.99");
  assert.equal(scorm12Time(-5000), "0000:00:00.00");
  assert.equal(scorm12Time(Number.NaN), "0000:00:00.00");
  assert.equal(scorm12Time(undefined), "0000:00:00.00");
});

test("iso8601Duration omits zero parts and keeps at most two decimals", () => {
  assert.equal(iso8601Duration(HOUR + 2 * 60000 + 3450), "PT1H2M3.45S");
  assert.equal(iso8601Duration(60000), "PT1M");
  assert.equal(iso8601Duration(HOUR), "PT1H");
  assert.equal(iso8601Duration(HOUR + 5000), "PT1H5S");
  assert.equal(iso8601Duration(1500), "PT1.5S");
  assert.equal(iso8601Duration(10), "PT0.01S");
  assert.equal(iso8601Duration(25 * HOUR), "PT25H");
});

test("iso8601Duration is never empty", () => {
  for (const bad of [0, 4, -1, Number.NaN, undefined, null, "x"]) {
    assert.equal(iso8601Duration(bad), "PT0S");
  }
});

test("both formats parse back to the input rounded to hundredths", () => {
  for (let ms = 0; ms < 30 * HOUR; ms += 7919371) {
    const cs = Math.round(ms / 10);
    const t12 = scorm12Time(ms);
    assert.match(t12, CMI_TIMESPAN);
    const [h, m, s] = t12.split(":").map(Number);
    assert.equal(Math.round((h * 3600 + m * 60 + s) * 100), cs);

    const iso = iso8601Duration(ms);
    assert.match(iso, ISO_DURATION);
    const [, hh = 0, mm = 0, ss = 0] = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/
      .exec(iso).map((x) => (x === undefined ? undefined : Number(x)));
    assert.equal(Math.round((hh * 3600 + mm * 60 + ss) * 100), cs);
  }
});
