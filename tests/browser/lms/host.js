// A minimal LMS for browser tests: scorm-again provides the API, this page launches the SCO in
// an iframe (so the runtime finds the API through window.parent) and records every call.
//
// Query string: pkg=<path of the package's index.html> (required), mastery=<0..100> (optional,
// the LMS's own mastery value), state=<JSON of the cmi subtree> (optional, prior learner data,
// loaded as a resumed attempt), commit=sync|async and run=<id> (optional: commit to the test
// site's /lms/commit endpoint as LMSs host scorm-again, in its default synchronous mode, where
// the Terminate commit goes by sendBeacon, or in its asynchronous mode; without it, no commits),
// seq=<path of a JSON {sequencing, hrefs}> (optional, SCORM 2004 packages of several SCOs: the
// activity tree an LMS extracts from imsmanifest.xml, and each activity's launch page; the host
// then delivers SCOs as scorm-again's sequencer decides, resetting the API between them).
(function () {
  "use strict";
  const params = new URLSearchParams(window.location.search);
  const is2004 = document.documentElement.dataset.standard === "scorm2004";
  const mode = params.get("commit");
  const hosting = mode === "sync" || mode === "async"
    ? {
      lmsCommitUrl: "/lms/commit?run=" + encodeURIComponent(params.get("run") || ""),
      terminateCommitParam: "terminate",
      useAsynchronousCommits: mode === "async",
    }
    : { lmsCommitUrl: false };
  const names = is2004
    ? ["Initialize", "Terminate", "GetValue", "SetValue", "Commit",
       "GetLastError", "GetErrorString", "GetDiagnostic"]
    : ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit",
       "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"];
  const log = { calls: [], commits: [], messages: [], delivered: [] };
  window.__lmsLog = log;
  // A package of several SCOs: the sequencing an LMS reads from the manifest (synchronous, so
  // the API exists before the first SCO looks for it).
  let seq = null;
  if (params.has("seq")) {
    const request = new XMLHttpRequest();
    request.open("GET", params.get("seq"), false);
    request.send();
    seq = JSON.parse(request.responseText);
  }
  const base = params.get("pkg").replace(/[^/]*$/, "");
  let loaded = seq ? seq.first : null;

  const WARN = 3;
  const ERROR = 4;
  const api = new (is2004 ? window.Scorm2004API : window.Scorm12API)(Object.assign({
    autocommit: false,
    logLevel: WARN,
    onLogMessage(level, message) {
      log.messages.push({ level, message: String(message) });
      // scorm-again logs API misuse by the SCO at ERROR: surface it so the tests fail on it.
      if (level >= ERROR) console.error("[LMS] " + message);
    },
  }, hosting, seq ? { sequencing: Object.assign({}, seq.sequencing, {
    eventListeners: { onActivityDelivery: deliver },
  }) } : {}));

  /** The sequencer chose an activity: after the current SCO's Terminate, launch the new one. */
  let pending = null;
  function deliver(activity) {
    log.delivered.push(activity.id);
    if (activity.id === loaded || activity.id === pending) return;
    pending = activity.id;
    setTimeout(() => {
      loaded = pending;
      pending = null;
      api.reset();
      listen();
      document.getElementById("sco").src = base + seq.hrefs[loaded];
    }, 0);
  }

  const cmi = params.has("state") ? JSON.parse(params.get("state")) : {};
  if (params.has("mastery")) {
    const mastery = Number(params.get("mastery"));
    if (is2004) cmi.scaled_passing_score = String(mastery / 100);
    else cmi.student_data = Object.assign({}, cmi.student_data, { mastery_score: String(mastery) });
  }
  if (Object.keys(cmi).length > 0) api.loadFromJSON(cmi, "cmi");

  // Record what the LMS stored each time the SCO commits or terminates.
  const snapshot = (event) => () => log.commits.push({
    event, activity: loaded, cmi: api.renderCMIToJSONObject(),
  });
  const commitName = is2004 ? "Commit" : "LMSCommit";
  const finishName = is2004 ? "Terminate" : "LMSFinish";
  // reset() between SCOs drops listeners, so they are set again for each SCO.
  const listen = () => {
    api.on(commitName, snapshot(commitName));
    api.on(finishName, snapshot(finishName));
  };
  listen();

  // Wrap the API functions so the order, arguments, results and error codes are all on record.
  for (const name of names) {
    const original = api[name];
    api[name] = function (...args) {
      const result = original.apply(api, args);
      log.calls.push({ fn: name, args: args.map(String), result: String(result),
                       error: String(api.lastErrorCode) });
      return result;
    };
  }
  window.lmsApi = api;
  if (is2004) window.API_1484_11 = api;
  else window.API = api;

  const frame = document.createElement("iframe");
  frame.name = "sco";
  frame.id = "sco";
  frame.title = "Course";
  frame.src = seq ? base + seq.hrefs[seq.first] : params.get("pkg");
  document.body.append(frame);
})();
