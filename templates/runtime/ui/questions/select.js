// Questions answered with one drop-down per slot: matching (a target for each source) and
// sequencing (a step for each position). The response lists the chosen id per slot.

const selects = (fs) => [...fs.querySelectorAll("select")];

/** The chosen option id of every drop-down, "" where none is chosen. */
export function read(fs) {
  return selects(fs).map((select) => select.value);
}

/** Choose `response[i]` in drop-down i. */
export function fill(fs, response) {
  selects(fs).forEach((select, i) => {
    select.value = response[i] ?? "";
  });
}

/** Whether every slot has a choice. */
export function answered(question, response) {
  return response.length === question.correct.length && response.every((id) => id !== "");
}

/** 1 if every slot holds its correct id, else 0 (no partial credit, as in SCORM interactions). */
export function credit(question, response) {
  return answered(question, response) && question.correct.every((id, i) => response[i] === id)
    ? 1 : 0;
}
