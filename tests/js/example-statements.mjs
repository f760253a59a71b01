// Builds with the runtime's statements.js the statements builder/statements.py builds with tincan:
// `node example-statements.mjs < {course, actor, registration, calls: [{builder, args}]}` prints
// the JSON array of statements. tests/test_statements.py compares the two.
import { readFileSync } from "node:fs";
import { createStatements } from "../../templates/runtime/xapi/statements.js";
import { uiResponse } from "./ui-response.mjs";

const { course, actor, registration, calls } = JSON.parse(readFileSync(0, "utf8"));
let n = 0;
const build = createStatements({ actor, course, registration,
  uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
  now: () => Date.UTC(2024, 4, 1, 12, 0, 0) });

const out = calls.map(({ builder, args }) => {
  if (builder !== "answered") return build[builder](...args);
  const [answer] = args;
  return build.answered({ ...answer, response: uiResponse(answer.interaction, answer.response) });
});
process.stdout.write(JSON.stringify(out));
