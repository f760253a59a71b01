// The LMS side of a SCORM launch in the preview: scorm-again's API in this window (the course
// frame finds it through window.parent), every call recorded with its arguments, result and
// error code, commits to the preview server, and the target's suspend-data limit enforced.

const NAMES = {
  scorm12: ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit",
    "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"],
  scorm2004: ["Initialize", "Terminate", "GetValue", "SetValue", "Commit",
    "GetLastError", "GetErrorString", "GetDiagnostic"],
};
// The error a refused over-long suspend_data gets: SCORM 1.2 405 (incorrect data type),
// SCORM 2004 406 (data model element type mismatch).
const TOO_LONG = { scorm12: "405", scorm2004: "406" };

const scripts = {};
/** Load scorm-again's bundle for `standard` once (served from /vendor/scorm-again/). */
export function loadRuntime(standard) {
  scripts[standard] ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = `/vendor/scorm-again/${standard}.js`;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`scorm-again ${standard}.js did not load`));
    document.head.append(script);
  });
  return scripts[standard];
}

/** The CMI an LMS hands back when a suspended attempt is launched again. */
export function resumeState(cmi, standard) {
  if (!cmi) return null;
  const score = (s) => Object.fromEntries(Object.entries(s ?? {}).filter(([, v]) => v !== ""));
  if (standard === "scorm2004") {
    const keep = ["location", "suspend_data", "completion_status", "success_status"];
    const state = Object.fromEntries(keep.filter((k) => cmi[k]).map((k) => [k, cmi[k]]));
    const s = score(cmi.score);
    return { ...state, ...(Object.keys(s).length ? { score: s } : {}), entry: "resume" };
  }
  const core = cmi.core ?? {};
  const s = score(core.score);
  return {
    suspend_data: cmi.suspend_data ?? "",
    core: { lesson_location: core.lesson_location ?? "", lesson_status: core.lesson_status ?? "",
      entry: "resume", ...(Object.keys(s).length ? { score: s } : {}) },
  };
}

/**
 * Put a fresh API for `pkg` (a package of /api/state) on this window; `onCall(entry)` hears each
 * call. `resume` is the committed CMI of the last attempt, or null for a new learner;
 * `registration` the preview learner's current one.
 */
export function installApi(pkg, resume, registration, onCall) {
  const standard = pkg.launchWith.host;
  const is2004 = standard === "scorm2004";
  delete window.API;
  delete window.API_1484_11;
  const Api = is2004 ? window.Scorm2004API : window.Scorm12API;
  const api = new Api({
    autocommit: false,
    // The learner's registration: commits of an attempt from before a reset are ignored.
    lmsCommitUrl: `/lms/commit?package=${encodeURIComponent(pkg.key)}`
      + `&registration=${encodeURIComponent(registration)}`,
    // What the LMS logs (refused commits, misuse of the API) goes to the panel, not the console.
    logLevel: 3,
    onLogMessage(level, message) {
      onCall({ lms: String(message).replace(/\s+/g, " ").trim(), level });
    },
  });
  const cmi = resumeState(resume, standard) ?? {};
  // Who the learner is, as every LMS says it.
  const [id, name] = ["preview-learner", "Learner, Preview"];
  if (is2004) Object.assign(cmi, { learner_id: id, learner_name: name });
  else cmi.core = { ...cmi.core, student_id: id, student_name: name };
  if (pkg.mastery !== null && pkg.mastery !== undefined) {
    if (is2004) cmi.scaled_passing_score = String(pkg.mastery / 100);
    else cmi.student_data = { ...cmi.student_data, mastery_score: String(pkg.mastery) };
  }
  if (Object.keys(cmi).length) api.loadFromJSON(cmi, "cmi");

  let refused = null;
  const [, , , setName, , lastErrorName] = NAMES[standard];
  for (const name of NAMES[standard]) {
    const original = api[name].bind(api);
    api[name] = (...args) => {
      let result;
      let error;
      const tooLong = name === setName && args[0] === "cmi.suspend_data"
        && pkg.suspend_limit !== null && String(args[1]).length > pkg.suspend_limit;
      if (tooLong) {
        refused = TOO_LONG[standard];
        result = "false";
        error = refused;
      } else if (name === lastErrorName && refused !== null) {
        result = refused;
        error = refused;
      } else {
        if (!name.includes("Error") && !name.includes("Diagnostic")) refused = null;
        result = original(...args);
        error = String(api.lastErrorCode ?? "0");
      }
      onCall({ fn: name, args: args.map(String), result: String(result), error: String(error) });
      return result;
    };
  }
  if (is2004) window.API_1484_11 = api;
  else window.API = api;
  return api;
}
