// The response the UI reads (ui/quiz.js) for an xAPI response string such as
// builder/statements.py::example_response gives: choice ids, one target per source, one option
// per step, or the text. Shared by the scripts that drive the runtime from Python tests.

/** The UI's raw response to `interaction` whose xAPI response string is `text`. */
export function uiResponse(interaction, text) {
  const items = text === "" ? [] : text.split("[,]");
  switch (interaction.type) {
    case "choice": case "sequencing": return items;
    case "matching": case "performance": return items.map((pair) => pair.split("[.]")[1]);
    default: return [text];
  }
}
