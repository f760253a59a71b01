// Checks statements read from stdin (a JSON array) with the npm `xapi-validation` package; prints
// {"<id>": ["problem", …]} for those with problems (xapi-validation reports warnings and errors
// alike, so an empty object means neither). The profile check is Python's, builder.vocabulary.
import { createRequire } from "node:module";

const validate = createRequire(import.meta.url)("xapi-validation").default;
let input = "";
for await (const chunk of process.stdin) input += chunk;
const problems = {};
for (const statement of JSON.parse(input)) {
  const found = validate(statement)
    .map((w) => `${(w.path ?? []).join(".")}: ${w.name ?? w.message} ${JSON.stringify(w.data)}`);
  if (found.length) problems[statement.id] = found;
}
process.stdout.write(JSON.stringify(problems));
