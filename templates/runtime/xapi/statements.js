// Pure xAPI 1.0.3 statement builders for the coursepack vocabulary (docs/xapi.md,
// templates/xapi/profile.jsonld). No I/O: the clock and the id source are injected. Every IRI
// comes from vocabulary.js, which is generated from the profile.
import { formatResponse } from "../util/interactions.js";
import { iso8601Duration } from "../util/time.js";
import { interactionDefinition } from "./interactions.js";

import { ACTIVITY_TYPES, EXTENSIONS, PROFILE_VERSION, VERBS } from "./vocabulary.js";

/** An activity IRI below the course IRI, as builder/ids.py::activity_iri derives it. */
export function activityIri(courseIri, ...parts) {
  return [courseIri.replace(/\/+$/, ""), ...parts].join("/");
}

function defaultUuid() {
  return globalThis.crypto.randomUUID();
}

/**
 * The statements' Agent: an account `{homePage, name}`. An mbox only when `fromLaunch`: an xAPI
 * launcher chose to identify the learner so, and refusing would lose the data; coursepack itself
 * never builds one (cmi5 §8.1.3: launchers SHOULD NOT hand out sensitive PII).
 */
function agentOf(actor, fromLaunch) {
  const agent = { objectType: "Agent" };
  if (actor?.account?.homePage && actor.account.name) {
    agent.account = { homePage: actor.account.homePage, name: actor.account.name };
  } else if (fromLaunch && /^mailto:[^@\s]+@[^@\s]+$/.test(actor?.mbox ?? "")) {
    agent.mbox = actor.mbox;
  } else {
    throw new TypeError("actor must be {account: {homePage, name}} (or a launch's mbox)");
  }
  if (actor.name) agent.name = actor.name;
  return agent;
}

/**
 * Statement builders bound to one learner and launch.
 * `course` is the runtime's course data `{id, title, version, language}`; `activityId` the course
 * activity's id (default `course.id`; an xAPI launch may name another). Other activity ids derive
 * from `course.id`. `actor`: see agentOf.
 */
export function createStatements({
  actor, course, registration, activityId = course.id, fromLaunch = false,
  uuid = defaultUuid, now = Date.now,
}) {
  const agent = agentOf(actor, fromLaunch);
  const language = course.language || "en-US";
  const text = (value) => ({ [language]: value });

  const activity = (id, type, title, extensions) => {
    const definition = { type };
    if (title) definition.name = text(title);
    if (extensions) definition.extensions = extensions;
    return { objectType: "Activity", id, definition };
  };
  // The follow-up unit (course.followUp, a package of its own) reports about its own activity,
  // `<course IRI>/follow-up` (or the launch's), and groups everything under the course IRI.
  const followUp = course.followUp
    ? activity(activityId === course.id ? course.followUp.id : activityId,
      ACTIVITY_TYPES["follow-up"], course.title)
    : null;
  const courseActivity = () => (followUp
    ? activity(course.id, ACTIVITY_TYPES.course, course.followUp.courseTitle)
    : activity(activityId, ACTIVITY_TYPES.course, course.title));
  // What the session's statements are about: the course, or the follow-up unit.
  const unitActivity = () => followUp ?? courseActivity();
  const unitContext = () => context(followUp ? { grouping: [courseActivity()] } : {});
  const groupingOf = (moduleKey, title) => [...moduleOf(moduleKey, title),
    ...(followUp ? [followUp] : []), courseActivity()];
  const moduleActivity = (moduleId, title) =>
    activity(activityIri(course.id, moduleId), ACTIVITY_TYPES.module, title);
  // A module's knowledge checks are one assessment, `<module>/check`: a check's own key is its
  // one question's id (builder/interactions.py), which is the cmi.interaction activity.
  const assessmentActivity = (a) => (a.kind === "check"
    ? activity(activityIri(course.id, a.module, "check"), ACTIVITY_TYPES.assessment)
    : activity(activityIri(course.id, a.key), ACTIVITY_TYPES.assessment, a.title));

  // xAPI-Data §2.4.6 Context: registration, contextActivities, language, platform, extensions.
  // The profile version goes in "category" (xAPI Profiles, Part 2 §1.2 "using profiles").
  function context({ parent = [], grouping = [], kind } = {}) {
    const contextActivities = {
      category: [{ objectType: "Activity", id: PROFILE_VERSION,
        definition: { type: ACTIVITY_TYPES.profile } }],
    };
    if (parent.length) contextActivities.parent = parent;
    if (grouping.length) contextActivities.grouping = grouping;
    const extensions = { [EXTENSIONS["course-version"]]: String(course.version ?? "") };
    if (kind) extensions[EXTENSIONS["assessment-kind"]] = kind;
    const out = { contextActivities, language, platform: "coursepack", extensions };
    if (registration) out.registration = registration;
    return out;
  }

  // xAPI-Data §2.4.1 id (UUID set by the client, so a re-sent statement is the same one,
  // Communication §2.1.1) and §2.4.7 timestamp.
  function statement(verb, object, ctx, result) {
    const s = { id: uuid(), actor: agent, verb: { id: VERBS[verb], display: { "en-US": verb } },
      object, context: ctx, timestamp: new Date(now()).toISOString() };
    if (result && Object.keys(result).length) s.result = result;
    return s;
  }

  // xAPI-Data §2.4.5 Result: score {scaled, raw, min, max}, success, completion, duration.
  function score({ scaled, raw, min, max }) {
    const out = {};
    if (Number.isFinite(scaled)) out.scaled = Math.max(-1, Math.min(1, scaled));
    if (Number.isFinite(raw)) out.raw = raw;
    if (Number.isFinite(min)) out.min = min;
    if (Number.isFinite(max)) out.max = max;
    return out;
  }
  const duration = (ms) => (Number.isFinite(ms) ? { duration: iso8601Duration(ms) } : {});

  function moduleOf(key, title) {
    return key ? [moduleActivity(key, title)] : [];
  }

  /** Group a part of the course under its module and the course (parent = its container). */
  function underModule(a, extra = {}) {
    return context({ parent: moduleOf(a.module, a.moduleTitle),
      grouping: followUp ? [followUp, courseActivity()] : [courseActivity()], ...extra });
  }

  function assessed(verb, a, s, { durationMs, success } = {}) {
    const result = { score: score(s), ...duration(durationMs) };
    if (success !== undefined) result.success = success;
    if (verb === "completed") result.completion = true;
    return statement(verb, assessmentActivity(a), underModule(a, { kind: a.kind }), result);
  }

  return {
    /** Course launched and ready (cmi5 §9.3.2 analogue). */
    initialized: () => statement("initialized", unitActivity(), unitContext()),
    /** Course resumed from a saved attempt. */
    resumed: () => statement("resumed", unitActivity(), unitContext()),
    /** The learner saw a page `{key, module, title}`. */
    experienced: (page) => statement("experienced",
      activity(activityIri(course.id, page.key), ACTIVITY_TYPES.lesson, page.title), underModule(page)),
    /**
     * A question answered: `interaction` is the build's description (its iri is the activity
     * id), `response` the UI's raw response, `correct` true/false/null (unscored), `assessment`
     * `{key, kind, module}`.
     */
    answered({ interaction, response, correct = null, durationMs, assessment: a }) {
      const object = { objectType: "Activity", id: interaction.iri,
        definition: interactionDefinition(interaction, language) };
      const result = { response: formatResponse("xapi", interaction, response),
        ...duration(durationMs) };
      if (typeof correct === "boolean") result.success = correct;
      const ctx = context({ parent: [assessmentActivity(a)],
        grouping: groupingOf(a.module, a.moduleTitle), kind: a.kind });
      return statement("answered", object, ctx, result);
    },
    /** A post-test at or above the mastery score; `s` = {scaled, raw, min, max}. */
    passed: (a, s, opts = {}) => assessed("passed", a, s, { ...opts, success: true }),
    /** A post-test below the mastery score. */
    failed: (a, s, opts = {}) => assessed("failed", a, s, { ...opts, success: false }),
    /** A pre-test or retention test finished: scored, never passed/failed (it does not count). */
    completedAssessment: (a, s, opts = {}) => assessed("completed", a, s, opts),
    /**
     * A post-test's result inside a cmi5 AU (docs/cmi5.md): `completed` with its score and
     * `success`, the AU `within` (an activity) as parent and the module before the course in the
     * grouping. The AU's own passed/failed carry the verdict; this one is for the report.
     */
    completedPostTest(a, s, { within, success, durationMs } = {}) {
      const out = assessed("completed", a, s, { durationMs, success });
      const lists = out.context.contextActivities;
      lists.grouping = [...(lists.parent ?? []), ...lists.grouping];
      lists.parent = [within];
      return out;
    },
    /** A module `{id, title}` completed. */
    completedModule: (m, { durationMs } = {}) => statement("completed",
      moduleActivity(m.id, m.title), context({ parent: [courseActivity()] }),
      { completion: true, ...duration(durationMs) }),
    /** The course completed. */
    completedCourse: ({ durationMs } = {}) => statement("completed", unitActivity(), unitContext(),
      { completion: true, ...duration(durationMs) }),
    /** Progress through the course, a fraction 0..1 sent as a 0-100 integer extension. */
    progressed: (fraction) => statement("progressed", unitActivity(), unitContext(), {
      // The cmi5 progress extension (§9.6.3.2): an integer percentage 0-100.
      extensions: { [EXTENSIONS.progress]: Math.round(Math.max(0, Math.min(1, fraction)) * 100) } }),
    /** The learner left with the course unfinished; the attempt can be resumed. */
    suspended: ({ durationMs } = {}) => statement("suspended", unitActivity(), unitContext(),
      duration(durationMs)),
    /** The session ended; duration is the session time (cmi5 §9.3.8 requires it). */
    terminated: ({ durationMs } = {}) => statement("terminated", unitActivity(), unitContext(),
      duration(durationMs)),
  };
}
