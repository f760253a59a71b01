// Session time formats for the two SCORM editions.

const MAX_CENTIS_12 = (9999 * 3600 + 59 * 60 + 59) * 100 + 99;

/** Whole hundredths of a second in `ms`; negative or non-finite input counts as zero. */
function centiseconds(ms) {
  const n = Number(ms);
  return Number.isFinite(n) && n > 0 ? Math.round(n / 10) : 0;
}

function pad(n, width) {
  return String(n).padStart(width, "0");
}

/** SCORM 1.2 CMITimespan "HHHH:MM:SS.SS" (hours 2-4 digits, so capped at 9999). */
export function scorm12Time(ms) {
  const c = Math.min(centiseconds(ms), MAX_CENTIS_12);
  const hours = Math.floor(c / 360000);
  const minutes = Math.floor((c % 360000) / 6000);
  const seconds = Math.floor((c % 6000) / 100);
  return `${pad(hours, 4)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(c % 100, 2)}`;
}

/** SCORM 2004 timeinterval (second,10,2): an ISO 8601 duration like "PT1H2M3.45S", never "PT". */
export function iso8601Duration(ms) {
  const c = centiseconds(ms);
  const hours = Math.floor(c / 360000);
  const minutes = Math.floor((c % 360000) / 6000);
  const cs = c % 6000;
  let out = "PT";
  if (hours) out += `${hours}H`;
  if (minutes) out += `${minutes}M`;
  if (cs || out === "PT") {
    const whole = Math.floor(cs / 100);
    const frac = cs % 100;
    out += frac ? `${whole}.${pad(frac, 2).replace(/0$/, "")}S` : `${whole}S`;
  }
  return out;
}
