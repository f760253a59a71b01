// Checks a statement against templates/xapi/profile.jsonld: which statement templates it matches
// (xAPI Profiles 1.0, Part 2 "Statement Templates": determining properties) and which of the
// matched template's rules it breaks. Shared by the profile and tracking tests.
import { readFileSync } from "node:fs";

export const profile = JSON.parse(
  readFileSync(new URL("../../templates/xapi/profile.jsonld", import.meta.url)));

/** Values at a JSONPath of the subset the profile uses: $.a.b, ['key'], [*]. */
function at(value, path) {
  const steps = [...path.matchAll(/\.([A-Za-z]+)|\['([^']+)'\]|\[(\*)\]/g)];
  let values = [value];
  for (const [, name, quoted, star] of steps) {
    values = values.flatMap((v) => {
      if (v === null || typeof v !== "object") return [];
      if (star) return Array.isArray(v) ? v : [];
      const next = v[name ?? quoted];
      return next === undefined ? [] : [next];
    });
  }
  return values;
}

function typesOf(list) {
  return (list ?? []).map((a) => a.definition?.type);
}

/** The templates whose determining properties `s` has. */
export function matching(s) {
  const has = (wanted, list) => (wanted ?? []).every((x) => typesOf(list).includes(x));
  const ctx = s.context?.contextActivities ?? {};
  return profile.templates.filter((t) => t.verb === s.verb.id
    && t.objectActivityType === s.object.definition?.type
    && has(t.contextParentActivityType, ctx.parent)
    && has(t.contextGroupingActivityType, ctx.grouping)
    && has(t.contextCategoryActivityType, ctx.category));
}

/** Problems of `s` against the rules of template `t`. */
export function ruleProblems(s, t) {
  const problems = [];
  for (const rule of t.rules ?? []) {
    const values = at(s, rule.location);
    const where = `${t.id} ${rule.location}`;
    if (rule.presence === "included" && values.length === 0) problems.push(`${where} missing`);
    if (rule.presence === "excluded" && values.length > 0) problems.push(`${where} present`);
    if (values.length && rule.all && !values.every((v) => rule.all.includes(v))) problems.push(`${where} not all`);
    if (values.length && rule.any && !values.some((v) => rule.any.includes(v))) problems.push(`${where} not any`);
  }
  return problems;
}

/** "" when `s` matches exactly one template and follows its rules, else what is wrong. */
export function profileProblem(s) {
  const found = matching(s);
  if (found.length !== 1) return `matches ${found.length} templates: ${found.map((t) => t.id)}`;
  return ruleProblems(s, found[0]).join("; ");
}
