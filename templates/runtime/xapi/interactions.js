// cmi.interaction activity definitions and result.response strings for coursepack questions.
// xAPI 1.0.3 xAPI-Data.md §2.4.4.1 "Interaction Activities": interactionType,
// correctResponsesPattern and the component lists (choices, scale, source/target, steps).

/** coursepack question type -> xAPI interactionType. */
const TYPES = {
  single: "choice",
  multiple: "choice",
  "true-false": "true-false",
  matching: "matching",
  sequencing: "sequencing",
  "fill-in": "fill-in",
  numeric: "numeric",
  likert: "likert",
  scenario: "other",
};

// The characterstring delimiters of §2.4.4.1: "[,]" separates list items, "[.]" pairs, "[:]" ranges.
const LIST = "[,]";
const PAIR = "[.]";

/** A language map for `text`, or undefined when there is no text. */
function langMap(language, text) {
  return typeof text === "string" && text !== "" ? { [language]: text } : undefined;
}

/** Interaction components `[{id, description}]` from ids or `{id, text}` objects. */
function components(items, language) {
  return items.map((item) => {
    if (typeof item === "string") return { id: item };
    const description = langMap(language, item.text);
    return description ? { id: item.id, description } : { id: item.id };
  });
}

/** Index-based ids ("s1", "t1"…) so a component keeps its id while its text is edited. */
function indexed(prefix, texts) {
  return texts.map((text, i) => ({ id: `${prefix}${i + 1}`, text }));
}

/** The correct response pattern(s), or undefined when the question has no right answer. */
function correctPatterns(question) {
  switch (question.type) {
    case "single":
    case "multiple":
    case "true-false":
      return [(question.correct ?? []).join(LIST)];
    case "matching":
      return [(question.pairs ?? []).map((_, i) => `s${i + 1}${PAIR}t${i + 1}`).join(LIST)];
    case "sequencing":
      return [(question.steps ?? []).map((_, i) => `s${i + 1}`).join(LIST)];
    case "fill-in": {
      // {case_matters=…} is a §2.4.4.1 pattern parameter; the default there is false.
      const prefix = question.caseSensitive ? "{case_matters=true}" : "";
      return (question.answers ?? []).map((a) => `${prefix}${a}`);
    }
    case "numeric":
      if (Array.isArray(question.range)) return [`${question.range[0]}[:]${question.range[1]}`];
      return question.answer === undefined ? undefined : [String(question.answer)];
    default:
      return undefined;
  }
}

/** The `definition` of the cmi.interaction activity for `question` (see docs/runtime.md). */
export function interactionDefinition(question, language) {
  const interactionType = TYPES[question.type] ?? "other";
  const definition = {
    type: "http://adlnet.gov/expapi/activities/cmi.interaction",
    interactionType,
  };
  const name = langMap(language, question.title ?? question.id);
  const description = langMap(language, question.prompt);
  if (name) definition.name = name;
  if (description) definition.description = description;
  const patterns = correctPatterns(question);
  if (patterns && patterns.every((p) => p !== "")) definition.correctResponsesPattern = patterns;
  if (interactionType === "choice") {
    definition.choices = components(question.choices ?? [], language);
  } else if (interactionType === "matching") {
    const pairs = question.pairs ?? [];
    definition.source = components(indexed("s", pairs.map((p) => p.source)), language);
    definition.target = components(indexed("t", pairs.map((p) => p.target)), language);
  } else if (interactionType === "sequencing") {
    definition.choices = components(indexed("s", question.steps ?? []), language);
  } else if (interactionType === "likert") {
    definition.scale = components(indexed("l", question.scale ?? []), language);
  }
  return definition;
}

/**
 * `result.response` for an answer given in the runtime's shape: a choice id or list of ids,
 * true/false, a list of [sourceIndex, targetIndex] pairs, a list of step indexes, a text, a
 * number, a likert index, or (scenario) the list of option indexes taken.
 */
export function formatResponse(question, answer) {
  switch (question.type) {
    case "multiple":
      return [].concat(answer).join(LIST);
    case "true-false":
      return String(Boolean(answer));
    case "matching":
      return answer.map(([s, t]) => `s${s + 1}${PAIR}t${t + 1}`).join(LIST);
    case "sequencing":
      return answer.map((i) => `s${i + 1}`).join(LIST);
    case "likert":
      return `l${answer + 1}`;
    case "scenario":
      return [].concat(answer).join(LIST);
    default:
      return String(answer);
  }
}
