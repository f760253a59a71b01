// Generated from templates/xapi/profile.jsonld by `python -m builder.vocabulary`; do not edit.
// The IRIs of the statements the runtime sends (docs/xapi.md "Vocabulary"). The profile is the
// one source: tests/test_vocabulary.py fails when this file is not what it generates.

export const PROFILE_ID = "https://example.org/coursepack/profile";
/** The profile version, sent as a category context activity (xAPI Profiles Part 2 §5). */
export const PROFILE_VERSION = "https://example.org/coursepack/profile/v1";

/** Verb IRIs by name. */
export const VERBS = Object.freeze({
  "answered": "http://adlnet.gov/expapi/verbs/answered",
  "completed": "http://adlnet.gov/expapi/verbs/completed",
  "experienced": "http://adlnet.gov/expapi/verbs/experienced",
  "failed": "http://adlnet.gov/expapi/verbs/failed",
  "initialized": "http://adlnet.gov/expapi/verbs/initialized",
  "passed": "http://adlnet.gov/expapi/verbs/passed",
  "progressed": "http://adlnet.gov/expapi/verbs/progressed",
  "resumed": "http://adlnet.gov/expapi/verbs/resumed",
  "suspended": "http://adlnet.gov/expapi/verbs/suspended",
  "terminated": "http://adlnet.gov/expapi/verbs/terminated",
});

/** Activity type IRIs by name. */
export const ACTIVITY_TYPES = Object.freeze({
  "assessment": "http://adlnet.gov/expapi/activities/assessment",
  "au": "https://example.org/coursepack/profile/activity-types/au",
  "cmi.interaction": "http://adlnet.gov/expapi/activities/cmi.interaction",
  "course": "http://adlnet.gov/expapi/activities/course",
  "lesson": "http://adlnet.gov/expapi/activities/lesson",
  "module": "http://adlnet.gov/expapi/activities/module",
  "profile": "http://adlnet.gov/expapi/activities/profile",
});

/** Extension IRIs by name. */
export const EXTENSIONS = Object.freeze({
  "assessment-kind": "https://example.org/coursepack/profile/extensions/assessment-kind",
  "course-version": "https://example.org/coursepack/profile/extensions/course-version",
  "masteryscore": "https://w3id.org/xapi/cmi5/context/extensions/masteryscore",
  "progress": "https://w3id.org/xapi/cmi5/result/extensions/progress",
  "sessionid": "https://w3id.org/xapi/cmi5/context/extensions/sessionid",
});

/** Category activity ids by name, besides the profile version (cmi5 §9.6.2). */
export const CATEGORIES = Object.freeze({
  "cmi5": "https://w3id.org/xapi/cmi5/context/categories/cmi5",
  "moveon": "https://w3id.org/xapi/cmi5/context/categories/moveon",
});

/** xAPI-Data §2.4.4.1: the component lists each interactionType may carry. */
export const COMPONENTS = Object.freeze({
  "choice": ["choices"],
  "sequencing": ["choices"],
  "likert": ["scale"],
  "matching": ["source", "target"],
  "performance": ["steps"],
});
