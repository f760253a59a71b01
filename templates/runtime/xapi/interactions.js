// The xAPI `definition` of a question's cmi.interaction activity (xAPI-Data.md §2.4.4.1
// "Interaction Activities"). Nothing is decided here: type, ids, components and correct
// patterns all come from the build's description (builder/interactions.py, docs/runtime.md
// "Interactions"); the learner's response string comes from util/interactions.js.

import { ACTIVITY_TYPES, COMPONENTS } from "./vocabulary.js";

const text = (language, value) =>
  (typeof value === "string" && value !== "" ? { [language]: value } : undefined);

/** Interaction components `[{id, description}]` of the description's `[{id, text}]`. */
function components(items, language) {
  return (items ?? []).map(({ id, text: label }) => {
    const description = text(language, label);
    return description ? { id, description } : { id };
  });
}

/** The cmi.interaction `definition` of `interaction`, its texts in `language`. */
export function interactionDefinition(interaction, language) {
  const definition = { type: ACTIVITY_TYPES["cmi.interaction"], interactionType: interaction.type };
  // The 2004 form is the prompt on one line, at most 250 characters: a fitting short name.
  const name = text(language, interaction.description2004 ?? interaction.description);
  const description = text(language, interaction.description);
  if (name) definition.name = name;
  if (description) definition.description = description;
  // No pattern (likert) means no correct answer is defined: omit the property, do not send [].
  const patterns = interaction.correct?.xapi ?? [];
  if (patterns.length) definition.correctResponsesPattern = [...patterns];
  for (const list of COMPONENTS[interaction.type] ?? []) {
    definition[list] = components(interaction[list], language);
  }
  return definition;
}
