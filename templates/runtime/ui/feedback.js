// Feedback on one question's fieldset: the right/wrong mark (`cp-right`/`cp-wrong`), the verdict
// line (`.cp-verdict`) and the explanation (`details.cp-answer`). None of it shows while a
// question is being answered; a submitted attempt shows all of it (docs/runtime.md). The page
// ships the explanation in a `<template class="cp-answer-t">`, so a page read without
// JavaScript never shows it: the first feedback puts it in place.

import { t } from "../util/messages.js";

/** Hide the explanation of every question in `form` (before any attempt is laid out). */
export function hideAnswers(form) {
  for (const details of form.querySelectorAll(".cp-answer")) details.hidden = true;
}

/** The explanation of fieldset `fs`; `make`: taken out of its template when not yet shown. */
function answerOf(fs, make) {
  const found = fs.querySelector(".cp-answer");
  if (found || !make) return found;
  const template = fs.querySelector("template.cp-answer-t");
  if (!template) return null;
  template.after(template.content.cloneNode(true));
  return fs.querySelector(".cp-answer");
}

/** Take every mark of feedback off fieldset `fs`: it is open for answering. */
export function clearFeedback(fs) {
  fs.classList.toggle("cp-right", false);
  fs.classList.toggle("cp-wrong", false);
  const verdict = fs.querySelector(".cp-verdict");
  if (verdict) verdict.hidden = true;
  const details = answerOf(fs, false);
  if (details) Object.assign(details, { hidden: true, open: false });
}

/**
 * Mark fieldset `fs` as answered `right` (true, false, or null when unscored) and show its
 * explanation, open when the answer was wrong. `verdict` false leaves the verdict line hidden.
 */
export function showFeedback(fs, right, { verdict = true } = {}) {
  if (right !== null) fs.classList.add(right ? "cp-right" : "cp-wrong");
  const line = fs.querySelector(".cp-verdict");
  if (line && right !== null && verdict) {
    line.textContent = t(right ? "runtime.correct" : "runtime.incorrect");
    line.hidden = false;
  }
  const details = answerOf(fs, true);
  if (details) Object.assign(details, { hidden: false, open: right === false });
}
