// Prints the length of the largest learner state the runtime encoder writes for a course:
// `node worst-state.mjs <level> < course-data.json`. tests/test_state.py compares it with
// builder/state.py::worst_case_size, which must give the same number.
import { readFileSync } from "node:fs";
import { encodeResponse, encodeState } from "../../templates/runtime/util/state.js";

const data = JSON.parse(readFileSync(0, "utf8"));
const level = Number(process.argv[2] ?? 0);

/** The longest response each question type can have: every option, slot, step or character. */
function longest(q) {
  switch (q.type) {
    case "true-false": return ["false"];
    case "single": case "likert": return [q.choices.at(-1)];
    case "multiple": return [...q.choices];
    case "matching": case "sequencing": return [...q.correct].reverse();
    case "scenario": return q.steps.map(() => "8");
    default: return ["|".repeat(q.maxLength + 5)]; // past the cap, each needing an escape
  }
}

const cost = (i, q) => i.toString(36).length
  + (level < 2 ? encodeResponse(q, longest(q)).length : 0);
const records = {};
for (const [key, a] of Object.entries(data.assessments)) {
  const n = a.questions.length;
  const shown = a.draw ? Math.min(a.draw, n) : n;
  const order = [...Array(n).keys()]
    .sort((x, y) => cost(y, a.questions[y]) - cost(x, a.questions[x])).slice(0, shown);
  const responses = order.map((i) => longest(a.questions[i]));
  const count = a.attempts === 0 ? 5000 : a.attempts;
  const attempt = { seed: 36 ** 4 - 1, order, responses, submitted: true };
  records[key] = { count, best: 1, attempt };
}
const seen = data.pages.map(() => true);
process.stdout.write(String(encodeState({ seen, records }, data.assessments, level).length));
