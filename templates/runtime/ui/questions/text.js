// Typed answers: fill-in (any of `answers`, case-insensitive unless `caseSensitive`) and numeric
// (`answer` exactly, or within `range`). The response is [text] or [] when the field is empty.

import { parseNumber } from "../../util/number.js";

const field = (fs) => fs.querySelector("input");

const squash = (text) => String(text).trim().replace(/\s+/g, " ");

/** The trimmed text typed, as a one-element response. */
export function read(fs) {
  const text = squash(field(fs)?.value ?? "");
  return text === "" ? [] : [text];
}

export function fill(fs, response) {
  const input = field(fs);
  if (input) input.value = response[0] ?? "";
}

export function answered(question, response) {
  return response.length > 0;
}

export { parseNumber };

/** 1 if the typed answer is accepted, else 0. */
export function credit(question, response) {
  if (response.length === 0) return 0;
  if (question.type === "numeric") {
    const n = parseNumber(response[0]);
    const [low, high] = question.range ?? [question.answer, question.answer];
    const slack = 1e-9 * Math.max(1, Math.abs(low), Math.abs(high));
    return Number.isFinite(n) && n >= low - slack && n <= high + slack ? 1 : 0;
  }
  const fold = (t) => (question.caseSensitive ? squash(t) : squash(t).toLocaleLowerCase());
  return (question.answers ?? []).some((a) => fold(a) === fold(response[0])) ? 1 : 0;
}
