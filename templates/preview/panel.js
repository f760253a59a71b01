// The panel: what the LMS and the LRS see, drawn from the API calls, the CMI tree and the
// statements. Pure helpers (status, sizes) plus small writers into the page's elements.

const $ = (id) => document.getElementById(id);
const MAX_ROWS = 500;

/** Completion, success and score as a SCORM LMS holds them in its CMI tree. */
export function scormStatus(cmi, standard) {
  if (!cmi) return { completion: "–", success: "–", score: "–" };
  if (standard === "scorm2004") {
    const score = cmi.score ?? {};
    const shown = score.scaled !== undefined && score.scaled !== ""
      ? `${score.scaled} scaled (${score.raw || "–"} of ${score.max || "–"})` : "–";
    return { completion: cmi.completion_status || "–", success: cmi.success_status || "–",
      score: shown };
  }
  const core = cmi.core ?? {};
  const status = core.lesson_status || "–";
  const success = status === "passed" || status === "failed" ? status : "unknown";
  const raw = core.score?.raw;
  const score = raw ? `${raw} (of ${core.score.max || 100})` : "–";
  return { completion: status, success, score };
}

/** Completion, success and score as an LRS reads them from the statements about the course. */
export function xapiStatus(statements, courseIri) {
  let completion = "not completed";
  let success = "–";
  let score = "–";
  for (const { statement } of statements) {
    const verb = statement.verb?.id?.split("/").pop();
    const object = statement.object?.id;
    if (verb === "completed" && object === courseIri) completion = "completed";
    if (verb === "passed" || verb === "failed") {
      success = `${verb} (${object?.slice(courseIri.length + 1) || object})`;
      const scaled = statement.result?.score?.scaled;
      if (scaled !== undefined) score = `${scaled} scaled`;
    }
  }
  return { completion, success, score };
}

/** `used / limit` text for a size, marked when over the limit. */
export function sizeText(used, limit, unit) {
  const over = limit !== null && limit !== undefined && used > limit;
  const text = limit ? `${used} of ${limit} ${unit} (${Math.round((100 * used) / limit)} %)`
    : `${used} ${unit} (no limit)`;
  return { text, over };
}

/** Statements waiting in the course's outboxes in this browser (xapi/queue.js keys). */
export function outboxSize(storage) {
  let waiting = 0;
  for (let i = 0; i < storage.length; i += 1) {
    const key = storage.key(i);
    if (!key.startsWith("coursepack:xapi:") || !key.endsWith(":outbox")) continue;
    try {
      waiting += JSON.parse(storage.getItem(key)).length;
    } catch {
      // not an outbox after all
    }
  }
  return waiting;
}

/** Write the status lines. */
export function showStatus(pkg, status, suspend, commit, outbox = null) {
  $("status-outbox").textContent = outbox === null ? "–"
    : `${outbox} statement${outbox === 1 ? "" : "s"} waiting in the browser`;
  $("status-package").textContent = pkg ? `${pkg.target} (${pkg.title})` : "none launched";
  $("status-completion").textContent = status.completion;
  $("status-success").textContent = status.success;
  $("status-score").textContent = status.score;
  for (const [id, size] of [["status-suspend", suspend], ["status-commit", commit]]) {
    $(id).textContent = size ? size.text : "–";
    $(id).classList.toggle("over", Boolean(size?.over));
  }
}

/** Append API calls to the list (newest last, scrolled into view). */
export function addCalls(calls) {
  const list = $("calls");
  for (const call of calls) {
    const row = document.createElement("li");
    if (call.lms !== undefined) {
      row.textContent = `LMS says: ${call.lms}`;
      row.className = "failed lms";
      list.append(row);
      continue;
    }
    const args = call.args.map((a) => JSON.stringify(a.length > 80 ? `${a.slice(0, 77)}…` : a));
    row.textContent = `${call.fn}(${args.join(", ")}) → ${JSON.stringify(call.result)}`
      + (call.error !== "0" ? ` error ${call.error}` : "");
    row.classList.toggle("failed", call.error !== "0");
    list.append(row);
  }
  while (list.children.length > MAX_ROWS) list.firstElementChild.remove();
  list.scrollTop = list.scrollHeight;
  const counted = calls.filter((c) => c.lms === undefined).length;
  $("calls-count").textContent = String(Number($("calls-count").textContent) + counted);
}

/** Append received statements, each with its profile warnings. */
export function addStatements(received) {
  const list = $("statements");
  for (const { statement, warnings } of received) {
    const row = document.createElement("li");
    const verb = statement.verb?.display?.["en-US"] ?? statement.verb?.id?.split("/").pop();
    const object = statement.object?.id ?? "";
    row.textContent = `${verb} ${object.replace(/^https?:\/\/[^/]+/, "")}`;
    row.title = JSON.stringify(statement, null, 2);
    for (const warning of warnings) {
      const note = document.createElement("span");
      note.className = "warning";
      note.textContent = `⚠ ${warning}`;
      row.append(note);
    }
    list.append(row);
  }
  list.scrollTop = list.scrollHeight;
  $("statements-count").textContent = String(list.children.length);
}

/** Clear the calls list (a new launch). */
export function clearCalls() {
  $("calls").replaceChildren();
  $("calls-count").textContent = "0";
}

/** Show the CMI tree. */
export function showCmi(cmi) {
  $("cmi").textContent = cmi ? JSON.stringify(cmi, null, 1) : "–";
}

/** Show or hide the build error. */
export function showError(error) {
  $("build-error").hidden = !error;
  $("build-error-text").textContent = error ?? "";
}
