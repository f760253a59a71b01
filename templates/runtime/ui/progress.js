// Progress the learner can read: the bar in the header (share of the course's steps done), per
// module in the contents list (its steps done, a mark once the module is done, only the current
// module's list open), and a mark per entry: seen, done (a pre-test or survey submitted), passed
// or failed (a post-test by its best attempt against the pass mark). A failed post-test never
// shows the tick of a seen page, nor counts as done where the completion rule asks for a pass:
// the bar says 100% only once the course is complete.

import { t } from "../util/messages.js";
import { markOf, stepDone } from "../util/steps.js";

/** What each mark says to a screen reader (the eye sees its symbol, coursepack.css). */
const SAYS = {
  seen: "runtime.mark.seen", done: "runtime.mark.done",
  passed: "runtime.mark.passed", failed: "runtime.mark.failed",
};

/**
 * The header's measure: `percent` of the steps done (rounded down; 100 only once `complete`),
 * and `toPass`, the modules whose post-test is all that is left once every other step is done.
 */
export function courseProgress({ pages, assessments, tracker, mastery, rule, complete }) {
  if (complete) return { percent: 100, toPass: [] };
  const at = { assessments, tracker, mastery, rule };
  const left = pages.filter((p) => !stepDone(p, at));
  const done = pages.length - left.length;
  const percent = Math.min(99, Math.floor(pages.length ? (done * 100) / pages.length : 0));
  const onlyTests = left.length > 0 && left.every((p) => p.kind === "post-test" && p.module);
  return { percent, toPass: onlyTests ? [...new Set(left.map((p) => p.module))] : [] };
}

/**
 * The header's words for `progress`; `numbers`: module id -> its number in the course. In a
 * unit of one module (`unit` is a module id: --units module, --split modules) the share is the
 * module's, and the words say so.
 */
export function progressText({ percent, toPass }, numbers, language, unit = "course") {
  const [plain, toPassKey] = numbers.has(unit)
    ? ["runtime.progress_module", "runtime.progress_module_to_pass"]
    : ["runtime.progress", "runtime.progress_to_pass"];
  if (!toPass.length) return t(plain, { percent });
  const names = toPass.map((id) => t("runtime.module_number", { number: numbers.get(id) ?? "" }));
  const modules = new Intl.ListFormat(language, { type: "conjunction" }).format(names);
  return t(toPassKey, { percent, modules });
}

/** Progress over the course data's `pages` in the header and the contents list of `doc`. */
export function createProgress({ doc, pages, assessments, rule, unit, tracker, mastery }) {
  const box = doc.getElementById("cp-progress");
  const text = box?.querySelector(".cp-progress-text");
  const bar = box?.querySelector("progress");
  const links = [...doc.querySelectorAll(".cp-toc a[data-key]")];
  const groups = [...doc.querySelectorAll(".cp-toc [data-module]")];
  const byKey = new Map(pages.map((p) => [p.key, p]));
  const numbers = new Map(groups.map((g) => [g.dataset.module, Number(g.dataset.number)]));
  const language = doc.documentElement.lang || "en";
  const at = { assessments, tracker, mastery, rule };

  /** Show the progress now; `current`: the key of the page shown, whose module list opens. */
  function update(current = null) {
    const { complete } = tracker.status(mastery);
    const progress = courseProgress({ pages, complete, ...at });
    if (box) {
      text.textContent = progressText(progress, numbers, language, unit);
      bar.value = progress.percent;
      box.hidden = false;
    }
    for (const link of links) {
      const page = byKey.get(link.dataset.key);
      const mark = page ? markOf(page, tracker, mastery) : "";
      let span = link.querySelector(".cp-mark");
      if (!mark) {
        span?.remove();
        continue;
      }
      if (!span) {
        span = doc.createElement("span");
        span.className = "cp-mark";
        link.append(span);
      }
      span.dataset.mark = mark;
      span.textContent = t(SAYS[mark]);
    }
    const done = new Set(tracker.modulesDone(mastery));
    for (const group of groups) {
      const id = group.dataset.module;
      const own = pages.filter((p) => p.module === id);
      const steps = own.filter((p) => stepDone(p, at)).length;
      const count = group.querySelector(".cp-toc-count");
      if (count) {
        count.textContent = done.has(id) ? t("runtime.module_done")
          : t("runtime.module_progress", { seen: steps, total: own.length });
        count.hidden = false;
      }
      group.classList.toggle("cp-done", done.has(id));
      const details = group.querySelector("details");
      if (details && current !== null) {
        details.open = own.some((p) => p.key === current);
      }
    }
  }

  return { update };
}
