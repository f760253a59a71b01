// Prints the size in UTF-8 bytes of the largest CMI tree scorm-again commits for a course, the
// runtime's own adapter writing into it: `node worst-commit.mjs <state chars> < course-data.json`.
// Every interaction the course policy records, each with its longest response (all choices, every
// slot, the longest text the input takes, in 4-byte characters), every module objective, the
// final status and score, and suspend data of the given length. tests/test_commit.py checks that
// builder/commit.py::worst_case_commit is never below it.
import { readFileSync } from "node:fs";
import { Scorm12API, Scorm2004API } from "scorm-again";
import { createAdapter as create12 } from "../../templates/runtime/lms/scorm12.js";
import { createAdapter as create2004 } from "../../templates/runtime/lms/scorm2004.js";
import { recordsInteractions } from "../../templates/runtime/util/answers.js";
import { interactionValues12, interactionValues2004 } from "../../templates/runtime/util/interactions.js";

const data = JSON.parse(readFileSync(0, "utf8"));
const stateChars = Number(process.argv[2] ?? 0);
const v12 = data.standard === "scorm12";
const api = v12 ? new Scorm12API({ logLevel: 5 }) : new Scorm2004API({ logLevel: 5 });
const lms = (v12 ? create12 : create2004)({ win: v12 ? { API: api } : { API_1484_11: api }, now: () => 0 });
lms.start();

/** The longest response the page can give (the raw UI response util/interactions.js formats). */
function longest(q) {
  const i = q.interaction;
  switch (i.type) {
    case "choice": case "sequencing": return [...q.choices];
    case "true-false": return ["false"];
    case "likert": return [q.choices.at(-1)];
    case "numeric": return ["-9999999999.999999999999999999"];
    case "matching": return i.source.map(() => i.target.at(-1).id);
    case "performance": return q.steps.map((s) => String(s.options.length - 1));
    default: return ["\u{1F600}".repeat(q.maxLength ?? 250)];
  }
}
const values = v12 ? interactionValues12 : interactionValues2004;
const record = (q) => ({ interaction: q.interaction, response: longest(q), correct: false,
  latencyMs: 35999990000, timestamp: new Date(2000, 0, 1, 0, 0, 0).getTime() });
const cost = (q) => JSON.stringify(values(0, record(q))).length;

const policy = data.course.interactions;
for (const assessment of Object.values(data.assessments)) {
  const n = assessment.questions.length;
  const shown = assessment.draw ? Math.min(assessment.draw, n) : n;
  const worst = [...assessment.questions].sort((a, b) => cost(b) - cost(a)).slice(0, shown);
  for (let attempt = 1; recordsInteractions(policy, assessment, attempt) && attempt <= 20; attempt += 1) {
    for (const q of worst) lms.recordInteraction(record(q));
  }
  if (assessment.objective) {
    lms.setObjective({ ...assessment.objective, raw: 33.33, min: 0, max: 100, scaled: 0.3333,
      success: null, completion: false });
  }
}
lms.setBookmark(data.pages.map((p) => p.key).sort((a, b) => b.length - a.length)[0]);
lms.saveState("x".repeat(stateChars));
lms.setProgress(0.3333);
lms.setScore({ raw: 33.33, min: 0, max: 100, scaled: 0.3333 });
lms.incomplete();
lms.finish({ suspend: true });
const body = JSON.stringify(api.renderCommitCMI(true));
process.stdout.write(String(Buffer.byteLength(body, "utf8")));
if (lms.errors.length) process.stderr.write(JSON.stringify(lms.errors));
