// Interactions, standard by standard: the learner's response in each standard's response
// format, and the cmi.interactions.n.* values an adapter writes, in the order the RTE requires
// (id first, type before correct_responses and learner_response: 2004 error 408 otherwise).
// `interaction` is the description the build embeds (builder/interactions.py; see the section
// Interactions of docs/runtime.md).

import { parseNumber } from "./number.js";
import { iso8601Duration, scorm12Time } from "./time.js";

const MAX_12 = 255; // SCORM 1.2 CMIString255 (student_response) and CMIIdentifier.
const MAX_2004 = 250; // SCORM 2004 description and fill-in learner_response SPM.
const MAX_LONG_2004 = 4000; // SCORM 2004 long-fill-in learner_response SPM (RTE 4.2.9.2).
const MAX_FILL_IN_NODES = 10; // scorm-again splits fill-in responses on "," and takes 10.
const DECIMAL = /^-?\d{1,10}(\.\d{1,18})?$/; // 2004 real(10,7) as scorm-again checks it.
const TRUTH = new Map([
  ["true", true], ["t", true], ["1", true], ["false", false], ["f", false], ["0", false],
]);

const clamp = (n, lo, hi) => Math.min(hi, Math.max(lo, n));
const round = (n, places) => String(Math.round(n * 10 ** places) / 10 ** places);
const pad = (n, width = 2) => String(n).padStart(width, "0");
const chars = (text, max) => Array.from(text).slice(0, max).join("");
const squash = (text) => String(text ?? "").trim().replace(/\s+/g, " ");
const listOf = (r) => (Array.isArray(r) ? r : r == null ? [] : [r]).map((v) => String(v ?? ""));

/** As many whole `items` joined by `sep` as fit in `max` characters (1.2 lists, cut safely). */
function joinCapped(items, sep, max = MAX_12) {
  let out = "";
  for (const item of items) {
    const next = out === "" ? item : out + sep + item;
    if (next.length > max) break;
    out = next;
  }
  return out;
}

/** A typed number (see util/number.js) as a decimal string without exponent; "" if none. */
function decimalText(value) {
  const n = parseNumber(value);
  if (!Number.isFinite(n)) return "";
  const out = Math.abs(n) < 1e-6 && n !== 0 ? n.toFixed(18).replace(/\.?0+$/, "") : String(n);
  return DECIMAL.test(out) ? out : "";
}

/** A 2004 fill-in response: one line, no "{" (a {lang=} delimiter), at most 10 comma parts. */
function fillIn2004(text) {
  let out = text.replace(/\[[,.:]\]/g, (m) => m[1]).replace(/\{/g, "(").replace(/\}/g, ")");
  if (out.split(",").length > MAX_FILL_IN_NODES) out = out.replace(/,/g, ";");
  return chars(out, MAX_2004);
}

/** At most `max` UTF-16 units (what the LMS's length checks count), never half a pair. */
function units(text, max) {
  const out = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(out) ? out.slice(0, -1) : out;
}

/** A 2004 long-fill-in response (already on one line): no leading "{", at most 4,000. */
function longFillIn2004(text) {
  return units(text.replace(/^\{/, "("), MAX_LONG_2004);
}

/** [[name, answer]] pairs of a response: matching source→target, scenario step→option. */
function pairsOf(interaction, response) {
  if (interaction.type === "matching") {
    const sources = interaction.source ?? [];
    const slots = Array.isArray(response)
      ? response.map(String)
      : sources.map((s) => response?.[s.id]);
    return sources.map((s, i) => [s.id, slots[i] ?? ""]).filter(([, t]) => t !== "");
  }
  // A scenario response is the option index picked at each step of the path taken.
  const steps = new Map((interaction.steps ?? []).map((s) => [s.id, s]));
  const out = [];
  let step = interaction.steps?.[0];
  for (const pick of listOf(response)) {
    const option = step?.options?.[Number(pick)];
    if (!option || out.some(([id]) => id === step.id)) break;
    out.push([step.id, String(pick)]);
    step = option.next ? steps.get(option.next) : null;
  }
  return out;
}

/**
 * The learner_response (2004, xAPI result.response) or student_response (1.2) string for the
 * UI's raw `response`; "" when there is nothing to report. See docs/runtime.md, Interactions.
 */
export function formatResponse(standard, interaction, response) {
  const v12 = standard === "scorm12";
  const list = listOf(response).map(squash).filter((v) => v !== "");
  switch (interaction?.type) {
    case "choice":
    case "sequencing": {
      const ids = interaction.type === "choice" ? [...new Set(list)] : list;
      return v12 ? joinCapped(ids, ",") : ids.join("[,]");
    }
    case "true-false": {
      const value = TRUTH.get(list[0]);
      if (value === undefined) return "";
      return v12 ? (value ? "t" : "f") : String(value);
    }
    case "likert":
      return list[0] ?? "";
    case "numeric":
      return decimalText(list[0] ?? "");
    case "matching":
    case "performance": {
      const pairs = pairsOf(interaction, response);
      if (v12) return joinCapped(pairs.map(([a, b]) => `${a}.${b}`), ",");
      return pairs.map(([a, b]) => `${a}[.]${b}`).join("[,]");
    }
    case "long-fill-in": {
      // Free text: 1.2 has only fill-in, so its LMS record keeps the first 255 characters.
      const text = list.join(" ");
      if (v12) return units(text, MAX_12);
      return standard === "scorm2004" ? longFillIn2004(text) : text;
    }
    default: {
      const text = list.join(" ");
      if (v12) return chars(text, MAX_12);
      return standard === "scorm2004" ? fillIn2004(text) : text.replace(/\[,\]/g, ",");
    }
  }
}

/** cmi.interactions.n.result: 1.2 correct/wrong/neutral, 2004 correct/incorrect/neutral. */
export function resultValue(standard, correct) {
  if (correct === true) return "correct";
  if (correct === false) return standard === "scorm12" ? "wrong" : "incorrect";
  return "neutral";
}

/** The Date of a timestamp (milliseconds or Date); null if it is not a valid time. */
function dateOf(timestamp) {
  const date = timestamp instanceof Date ? timestamp : new Date(Number(timestamp));
  return Number.isNaN(date.getTime()) ? null : date;
}

const clock = (d) => `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
const day = (d) => `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The 2004 description: the build's, else the prompt cut to 250 characters on one line. */
function description2004(interaction) {
  const text = interaction.description2004 ?? squash(interaction.description ?? "");
  return chars(text.replace(/^\{/, "("), MAX_2004);
}

/** [element, value] pairs that append interaction `n` in SCORM 1.2 (RTE 3.4.2.7). */
export function interactionValues12(n, { interaction, response, correct, latencyMs, timestamp }) {
  const p = `cmi.interactions.${n}.`;
  const date = dateOf(timestamp);
  const out = [[`${p}id`, interaction.scormId]];
  if (interaction.objective) out.push([`${p}objectives.0.id`, interaction.objective.scormId]);
  if (date) out.push([`${p}time`, clock(date)]); // CMITime: local clock time of the answer.
  out.push([`${p}type`, interaction.scorm12Type ?? interaction.type]);
  (interaction.correct?.scorm12 ?? []).forEach((pattern, i) => {
    out.push([`${p}correct_responses.${i}.pattern`, pattern]);
  });
  out.push([`${p}weighting`, round(clamp(Number(interaction.weighting) || 0, -100, 100), 4)]);
  const text = formatResponse("scorm12", interaction, response);
  if (text !== "") out.push([`${p}student_response`, text]);
  out.push([`${p}result`, resultValue("scorm12", correct)]);
  if (Number.isFinite(latencyMs)) out.push([`${p}latency`, scorm12Time(latencyMs)]);
  return out;
}

/** [element, value] pairs that append interaction `n` in SCORM 2004 (RTE 4.2.9). */
export function interactionValues2004(n, { interaction, response, correct, latencyMs, timestamp }) {
  const p = `cmi.interactions.${n}.`;
  const date = dateOf(timestamp);
  const out = [[`${p}id`, interaction.scormId], [`${p}type`, interaction.type]];
  if (interaction.objective) out.push([`${p}objectives.0.id`, interaction.objective.scormId]);
  // time(second,10,0) in local time: scorm-again takes a zone only after fractional seconds.
  if (date) out.push([`${p}timestamp`, `${day(date)}T${clock(date)}`]);
  (interaction.correct?.scorm2004 ?? []).forEach((pattern, i) => {
    out.push([`${p}correct_responses.${i}.pattern`, pattern]);
  });
  out.push([`${p}weighting`, round(Number(interaction.weighting) || 0, 4)]);
  const text = formatResponse("scorm2004", interaction, response);
  if (text !== "" || interaction.type === "fill-in") out.push([`${p}learner_response`, text]);
  out.push([`${p}result`, resultValue("scorm2004", correct)]);
  if (Number.isFinite(latencyMs)) out.push([`${p}latency`, iso8601Duration(latencyMs)]);
  out.push([`${p}description`, description2004(interaction)]);
  return out;
}
