// One section at a time: Previous/Next, the contents list, in-page links to other pages, the
// "Page 3 of 12" indicator, and focus on the new page's heading (WCAG 2.4.3 focus order).

import { t } from "../util/messages.js";

const NARROW = "(max-width: 47.99em)";

/** Show the sections of `pages` one at a time; `onChange(page, index)` runs after each move. */
export function createNav({ doc, win, pages, onChange = () => {} }) {
  const sections = pages.map((p) => doc.getElementById(`page-${p.key}`));
  const links = [...doc.querySelectorAll(".cp-toc a[data-key]")];
  const progress = doc.getElementById("cp-progress");
  const pager = doc.querySelector(".cp-pager");
  const prev = pager?.querySelector('[data-cp="prev"]');
  const next = pager?.querySelector('[data-cp="next"]');
  const toc = doc.querySelector(".cp-toc-box");
  const narrow = win.matchMedia ? win.matchMedia(NARROW) : { matches: false };
  const courseTitle = doc.title;
  let current = -1;

  const indexOf = (key) => pages.findIndex((p) => p.key === key);

  function show(index, { focus = true } = {}) {
    if (index < 0 || index >= pages.length || !sections[index]) return;
    current = index;
    sections.forEach((section, i) => {
      if (section) section.hidden = i !== index;
    });
    for (const link of links) {
      if (link.dataset.key === pages[index].key) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    if (progress) {
      progress.textContent = t("runtime.progress", { page: index + 1, pages: pages.length });
      progress.hidden = false;
    }
    if (prev) prev.disabled = index === 0;
    if (next) next.disabled = index === pages.length - 1;
    doc.title = `${pages[index].title} - ${courseTitle}`;
    if (focus) {
      win.scrollTo?.(0, 0);
      sections[index].querySelector("h1")?.focus({ preventScroll: true });
    }
    onChange(pages[index], index);
  }

  function markSeen(key) {
    for (const link of links) if (link.dataset.key === key) link.classList.add("cp-seen");
  }

  doc.addEventListener("click", (event) => {
    const link = event.target.closest?.('a[href^="#page-"]');
    if (!link) return;
    const index = indexOf(decodeURIComponent(link.getAttribute("href").slice("#page-".length)));
    if (index < 0) return;
    event.preventDefault();
    if (toc && narrow.matches && toc.contains(link)) toc.open = false;
    show(index);
  });
  prev?.addEventListener("click", () => show(current - 1));
  next?.addEventListener("click", () => show(current + 1));
  if (pager) pager.hidden = false;
  if (toc && narrow.matches) toc.open = false;

  return {
    show,
    indexOf,
    markSeen,
    get current() {
      return current;
    },
  };
}
