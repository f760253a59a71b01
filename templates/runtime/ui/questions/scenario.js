// Branching scenarios: at each step the learner picks an option and sees its feedback and the
// step it leads to. The response is the option index chosen at each step of the path taken;
// credit is the points collected over the best path's points (`best`, from the build).

const stepsOf = (fs) => [...fs.querySelectorAll(".cp-step")];
const chosen = (step) => [...step.querySelectorAll("input")].find((i) => i.checked)?.value ?? null;

/** The path through `question.steps` that `picks` (option indexes) take: [{step, option}]. */
export function walk(question, picks) {
  const byId = new Map(question.steps.map((s) => [s.id, s]));
  const path = [];
  let step = question.steps[0];
  for (const pick of picks) {
    const option = step?.options[Number(pick)];
    if (!option || path.some((p) => p.step === step)) break;
    path.push({ step, option });
    step = option.next ? byId.get(option.next) : null;
  }
  return path;
}

/** The options chosen along the path, read from the page. */
export function read(fs, question) {
  const els = new Map(stepsOf(fs).map((el) => [el.dataset.step, el]));
  const byId = new Map(question.steps.map((s) => [s.id, s]));
  const picks = [];
  const visited = new Set();
  let step = question.steps[0];
  while (step && els.has(step.id) && !visited.has(step.id)) {
    visited.add(step.id);
    const pick = chosen(els.get(step.id));
    if (pick === null) break;
    picks.push(pick);
    const next = step.options[Number(pick)]?.next;
    step = next ? byId.get(next) : null;
  }
  return picks;
}

/** Whether the path reached the end of the case. */
export function answered(question, response) {
  const path = walk(question, response);
  return path.length > 0 && path.length === response.length && !path.at(-1).option.next;
}

export function credit(question, response) {
  const points = walk(question, response).reduce((sum, p) => sum + p.option.points, 0);
  return question.best > 0 ? Math.min(1, points / question.best) : 1;
}

/** Show the steps on the path and the feedback of each option chosen there. */
export function reveal(fs, response, question) {
  const onPath = new Map(walk(question, response).map((p, i) => [p.step.id, response[i]]));
  const next = walk(question, response).at(-1)?.option.next ?? question.steps[0]?.id;
  for (const el of stepsOf(fs)) {
    const pick = onPath.get(el.dataset.step);
    el.hidden = pick === undefined && el.dataset.step !== next;
    for (const p of el.querySelectorAll(".cp-feedback")) p.hidden = p.dataset.for !== pick;
  }
}

export function fill(fs, response, question) {
  const onPath = new Map(walk(question, response).map((p, i) => [p.step.id, response[i]]));
  for (const el of stepsOf(fs)) {
    for (const input of el.querySelectorAll("input")) {
      input.checked = onPath.get(el.dataset.step) === input.value;
    }
  }
}

/** Follow the learner's choices live: each choice reveals its feedback and the next step. */
export function bind(fs, question) {
  const update = () => reveal(fs, read(fs, question), question);
  if (!fs.cpBound) fs.addEventListener("change", update);
  fs.cpBound = true;
  update();
}
