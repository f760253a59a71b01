// The cmi5 defined statements (cmi5 §9) and the context every statement of an AU session gets
// from the LMS's contextTemplate (§10.2.1). Pure: the clock and the id source are injected.

import { iso8601Duration } from "../util/time.js";
import { ACTIVITY_TYPES, CATEGORIES, EXTENSIONS, PROFILE_VERSION, VERBS } from "../xapi/vocabulary.js";

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
const category = (id) => ({ objectType: "Activity", id });

/**
 * `list` followed by the activities of `more` whose id it does not have yet. An activity of
 * `list` that `more` also has keeps every property it gives and takes the ones it lacks from
 * `more`'s, in its definition too (a publisher id the template gives bare gets our definition;
 * one it gives with a name but no type gets our type: added, never overwritten).
 */
function merged(theirs, ours) {
  const out = { ...ours, ...theirs };
  if (isObject(theirs.definition) && isObject(ours.definition)) {
    out.definition = { ...ours.definition, ...theirs.definition };
  }
  return out;
}

function union(list = [], more = []) {
  const ours = new Map(more.filter(isObject).map((a) => [a.id, a]));
  const kept = list.map((a) => (isObject(a) && ours.has(a.id) ? merged(a, ours.get(a.id)) : a));
  const ids = new Set(list.map((a) => a?.id));
  return [...kept, ...more.filter((a) => !ids.has(a.id))];
}

/**
 * `context` with the LMS's `template` laid over it (§10.2.1: the AU MAY add values but MUST NOT
 * overwrite any the template provides, the session id among them): template values win, its
 * context activity lists are kept whole (an activity of both completed from ours) and ours
 * appended, its extensions win over ours.
 */
export function withTemplate(context, template) {
  if (!isObject(template)) return context;
  const out = { ...context, ...template };
  const ours = context.contextActivities ?? {};
  const theirs = isObject(template.contextActivities) ? template.contextActivities : {};
  const lists = {};
  for (const key of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
    const given = Array.isArray(theirs[key]) ? theirs[key] : (theirs[key] ? [theirs[key]] : []);
    lists[key] = union(given, ours[key] ?? []);
  }
  if (Object.keys(lists).length) out.contextActivities = lists;
  if (context.extensions || template.extensions) {
    out.extensions = { ...context.extensions, ...template.extensions };
  }
  return out;
}

/**
 * Builders of the cmi5 defined statements of one AU session. `launch` is the cmi5 launch
 * (`actor`, `registration`, `activityId`), `course` the course data (`title`, `version`,
 * `language`), `contextTemplate` LMS.LaunchData's, `auId` the AU's publisher id.
 */
export function createCmi5Statements({ launch, course, contextTemplate, uuid, now, auId = null }) {
  const language = course.language || "en-US";
  // §9.4: the object of every cmi5 defined statement is the AU, by the launch's activityId.
  const object = { objectType: "Activity", id: launch.activityId,
    definition: { type: ACTIVITY_TYPES.au, name: { [language]: course.title } } };

  // The follow-up unit (a package of its own) groups its statements under the course IRI, as
  // every statement of its xapi target does (docs/xapi.md "The follow-up unit"): the AU's
  // publisher id from the contextTemplate is the follow-up's, so a report joins them by this.
  const grouping = course.followUp ? [{ objectType: "Activity", id: course.id, definition: {
    type: ACTIVITY_TYPES.course, name: { [language]: course.followUp.courseTitle } } }] : [];
  // The AU's publisher id (`auId`, as cmi5.xml has it), which the LMS's contextTemplate should
  // put in grouping (§10.2.1) and the Open edX cmi5 XBlock does not (docs/lms.md): added when
  // missing, so that a report can tell which AU completed, as every AU there has one object.
  if (auId) grouping.push({ objectType: "Activity", id: auId });

  function context({ moveOn = false, masteryScore = null } = {}) {
    // §9.6.2.1 the cmi5 category; §9.6.2.2 moveon only with success or completion.
    const categories = [category(PROFILE_VERSION), category(CATEGORIES.cmi5)];
    if (moveOn) categories.push(category(CATEGORIES.moveon));
    categories[0].definition = { type: ACTIVITY_TYPES.profile };
    const extensions = { [EXTENSIONS["course-version"]]: String(course.version ?? "") };
    // §9.6.3.2: the masteryScore the verdict was made against.
    if (masteryScore !== null) extensions[EXTENSIONS.masteryscore] = masteryScore;
    // §9.6.1: the registration the LMS gave.
    const contextActivities = { category: categories };
    if (grouping.length) contextActivities.grouping = grouping;
    return withTemplate({ registration: launch.registration, language, platform: "coursepack",
      contextActivities, extensions }, contextTemplate);
  }

  /** The context of a cmi5 allowed statement (§7.1.3): the template, never the cmi5 category. */
  function allowedContext() {
    return withTemplate({ registration: launch.registration, language, platform: "coursepack",
      contextActivities: { category: [{ ...category(PROFILE_VERSION),
        definition: { type: ACTIVITY_TYPES.profile } }], ...(grouping.length ? { grouping } : {}) },
      extensions: { [EXTENSIONS["course-version"]]: String(course.version ?? "") } },
    contextTemplate);
  }

  // §9.1 an AU-assigned UUID; §9.7 a UTC timestamp. The verb's display in en-US and in plain
  // en (a language map may hold several, xAPI-Data §2.4.3): an LMS that reads the verb from
  // display["en"] (the Open edX cmi5 XBlock, docs/lms.md) finds it.
  function statement(verb, ctx, result) {
    const s = { id: uuid(), actor: launch.actor, verb: { id: VERBS[verb],
      display: { "en-US": verb, en: verb } }, object, context: ctx,
      timestamp: new Date(now()).toISOString() };
    if (result) s.result = result;
    return s;
  }
  const duration = (ms) => iso8601Duration(Math.max(0, ms));
  // §9.5.1: scaled 0..1; raw, min and max integers, min and max whenever raw is given.
  function score({ scaled, raw, min, max }) {
    const out = { scaled: Math.max(0, Math.min(1, scaled)) };
    if (Number.isFinite(raw)) Object.assign(out, { raw: Math.round(raw), min: Math.round(min),
      max: Math.round(max) });
    return out;
  }

  return {
    /** §9.3.2: first statement of the session. */
    initialized: () => statement("initialized", context()),
    /** §9.3.3: all relevant material experienced; §9.5.3 completion, §9.5.4.1 duration. */
    completed: ({ durationMs }) => statement("completed", context({ moveOn: true }),
      { completion: true, duration: duration(durationMs) }),
    /** §9.3.4 (scaled ≥ masteryScore) and §9.5.2 success true. */
    passed: ({ score: s, masteryScore, durationMs }) => statement("passed",
      context({ moveOn: true, masteryScore }),
      { score: score(s), success: true, duration: duration(durationMs) }),
    /** §9.3.5 (scaled < masteryScore) and §9.5.2 success false. */
    failed: ({ score: s, masteryScore, durationMs }) => statement("failed",
      context({ moveOn: true, masteryScore }),
      { score: score(s), success: false, duration: duration(durationMs) }),
    /** cmi5 allowed: progress through the AU, 0-100 (§9.5.5.1), never after completed. */
    progressed: (percent) => statement("progressed", allowedContext(), {
      extensions: { [EXTENSIONS.progress]: Math.round(Math.max(0, Math.min(100, percent))) } }),
    /** §9.3.8: last statement of the session; duration since initialized (§9.5.4.1). */
    terminated: ({ durationMs }) => statement("terminated", context(),
      { duration: duration(durationMs) }),
  };
}
