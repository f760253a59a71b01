// Progress the learner can read: the bar in the header (share of the course's pages seen), per
// module in the contents list (pages seen of its pages, a mark once the module is done, only the
// current module's list open), and a mark per entry: seen, done (a pre-test or survey submitted),
// passed or failed (a post-test by its best attempt against the pass mark). A failed post-test
// never shows the tick of a seen page.

import { t } from "../util/messages.js";

/** What each mark says to a screen reader (the eye sees its symbol, coursepack.css). */
const SAYS = {
  seen: "runtime.mark.seen", done: "runtime.mark.done",
  passed: "runtime.mark.passed", failed: "runtime.mark.failed",
};

/** The mark of `page`: "seen", "done", "passed", "failed" or "" (not yet opened). */
export function markOf(page, tracker, mastery) {
  const record = tracker.record(page.key);
  if (page.kind === "post-test" && record?.count) {
    return Math.round((record.best ?? 0) * 10000) / 100 >= mastery ? "passed" : "failed";
  }
  if ((page.kind === "pre-test" || page.kind === "survey") && record?.count) return "done";
  return tracker.seen(page.key) ? "seen" : "";
}

/** Progress over the course data's `pages` in the header and the contents list of `doc`. */
export function createProgress({ doc, pages, tracker, mastery }) {
  const box = doc.getElementById("cp-progress");
  const text = box?.querySelector(".cp-progress-text");
  const bar = box?.querySelector("progress");
  const links = [...doc.querySelectorAll(".cp-toc a[data-key]")];
  const groups = [...doc.querySelectorAll(".cp-toc [data-module]")];
  const byKey = new Map(pages.map((p) => [p.key, p]));

  /** Show the progress now; `current`: the key of the page shown, whose module list opens. */
  function update(current = null) {
    const status = tracker.status(mastery);
    const percent = Math.round(status.progress * 100);
    if (box) {
      text.textContent = t("runtime.progress", { percent });
      bar.value = percent;
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
      const seen = own.filter((p) => tracker.seen(p.key)).length;
      const count = group.querySelector(".cp-toc-count");
      if (count) {
        count.textContent = done.has(id) ? t("runtime.module_done")
          : t("runtime.module_progress", { seen, total: own.length });
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
