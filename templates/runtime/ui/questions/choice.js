// Questions answered by picking options: single, multiple, true-false and likert. A response
// is the array of chosen ids; the course data lists each question's `choices` and `correct` ids.

const inputs = (fs) => [...fs.querySelectorAll("input")];

/** The ids of the checked inputs of fieldset `fs`. */
export function read(fs) {
  return inputs(fs).filter((input) => input.checked).map((input) => input.value);
}

/** Check exactly the inputs whose id is in `response`. */
export function fill(fs, response) {
  for (const input of inputs(fs)) input.checked = response.includes(input.value);
}

/** Whether a response is given at all. */
export function answered(question, response) {
  return response.length > 0;
}

/** 1 if `response` is exactly the set of correct ids (in any order), else 0. */
export function credit(question, response) {
  const want = new Set(question.correct ?? []);
  const got = new Set(response);
  return want.size === got.size && [...want].every((id) => got.has(id)) ? 1 : 0;
}

/** Mark the chosen options and show the feedback written for them. */
export function reveal(fs, response) {
  for (const input of inputs(fs)) {
    input.closest(".cp-choice")?.classList.toggle("cp-chosen", response.includes(input.value));
  }
  for (const p of fs.querySelectorAll(".cp-feedback")) p.hidden = !response.includes(p.dataset.for);
}

/** Put the options in the order of `permute(count)`; true-false and scales keep theirs. */
export function shuffle(fs, permute) {
  const list = fs.querySelector(".cp-choices");
  if (!list || fs.dataset.type === "true-false" || fs.dataset.type === "likert") return;
  // Always from the authored order, so a seed gives the same order however often it runs.
  list.cpAuthored ??= [...list.children];
  const items = list.cpAuthored;
  for (const i of permute(items.length)) list.append(items[i]);
}
