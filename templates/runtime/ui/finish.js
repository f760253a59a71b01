// The completion page (`#page-completion`): the learner's result, what is still to do, and once
// the course is complete a certificate of completion to print (no network: the page prints
// itself). The learner's name comes from the LMS where it gives one (SCORM cmi.core.student_name
// or cmi.learner_name, the xAPI actor's name); otherwise the learner types it.

import { t } from "../util/messages.js";

/** SCORM names read "Last, First": shown as "First Last" when there is exactly one comma. */
export function displayName(name) {
  const text = String(name ?? "").trim();
  const parts = text.split(",");
  if (parts.length !== 2 || !parts[0].trim() || !parts[1].trim()) return text;
  return `${parts[1].trim()} ${parts[0].trim()}`;
}

/**
 * What is still to do, one line per module: pages not read, post-test not taken, or (when the
 * course failed) a post-test score under the mastery. `moduleTitles`: module id -> title.
 */
export function todoLines({ pages, assessments, tracker, status, mastery, moduleTitles }) {
  const lines = [];
  for (const [id, title] of Object.entries(moduleTitles)) {
    const unread = pages.filter((p) => p.module === id && p.kind === "page" && !tracker.seen(p.key));
    if (unread.length) lines.push(t("runtime.finish.todo_pages", { module: title, count: unread.length }));
    for (const [key, a] of Object.entries(assessments)) {
      if (a.kind !== "post-test" || a.module !== id) continue;
      const record = tracker.record(key);
      if (!record?.count) lines.push(t("runtime.finish.todo_test", { module: title }));
      else if (status.success === "failed" && Math.round((record.best ?? 0) * 100) < mastery) {
        const percent = Math.round((record.best ?? 0) * 100);
        lines.push(t("runtime.finish.todo_retake", { module: title, percent }));
      }
    }
  }
  return lines;
}

/** The completion page of `doc`, or null when this page has none (a unit of a split course). */
export function createFinish({ doc, win, data, tracker, learnerName, mastery, now }) {
  const section = doc.getElementById("page-completion");
  if (!section) return null;
  const part = (name) => section.querySelector(`[data-cp="${name}"]`);
  // Module titles as the contents list shows them.
  const moduleTitles = {};
  for (const li of doc.querySelectorAll(".cp-toc [data-module]")) {
    moduleTitles[li.dataset.module] = li.querySelector(".cp-toc-module")?.textContent.trim() ?? "";
  }
  const input = part("name-input");
  const name = displayName(learnerName);
  if (name) {
    part("name").textContent = name;
    input.closest(".cp-field").hidden = true;
  } else {
    input.addEventListener("input", () => {
      part("name").textContent = input.value.trim();
    });
  }
  // Print only the certificate (coursepack.css, body.cp-printing); print() blocks until done.
  part("print").addEventListener("click", () => {
    doc.body.classList.add("cp-printing");
    win.addEventListener("afterprint", () => doc.body.classList.remove("cp-printing"), { once: true });
    win.print();
  });

  /** Show the result for `status` (tracker.status). */
  function update(status) {
    const todo = part("todo");
    const lines = status.complete ? [] : todoLines({
      pages: data.pages, assessments: data.assessments, tracker, status, mastery, moduleTitles,
    });
    const percent = status.score;
    let line;
    if (status.complete) {
      line = percent === null ? t("runtime.finish.complete")
        : t("runtime.finish.complete_score", { percent });
    } else if (status.success === "failed") {
      line = t("runtime.finish.failed", { percent, mastery });
    } else {
      line = t("runtime.finish.incomplete");
    }
    part("status").textContent = line;
    todo.replaceChildren(...lines.map((text) => {
      const li = doc.createElement("li");
      li.textContent = text;
      return li;
    }));
    todo.hidden = lines.length === 0;
    part("tools").hidden = !status.complete;
    part("certificate").hidden = !status.complete;
    section.classList.toggle("cp-complete", status.complete);
    part("score-row").hidden = percent === null;
    part("score").textContent = percent === null ? "" : `${percent}%`;
    const lang = doc.documentElement.lang || undefined;
    part("date").textContent = new Date(now()).toLocaleDateString(lang, { dateStyle: "long" });
  }

  return { update };
}
