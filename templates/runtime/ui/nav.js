// One section at a time: Previous/Next, the contents list, in-page links to other pages, and
// focus on the new page's heading (WCAG 2.4.3 focus order). Progress is ui/progress.js's.

const NARROW = "(max-width: 47.99em)";

/** Show the sections of `pages` one at a time; `onChange(page, index)` runs after each move. */
export function createNav({ doc, win, pages, onChange = () => {} }) {
  const sections = pages.map((p) => doc.getElementById(`page-${p.key}`));
  const links = [...doc.querySelectorAll(".cp-toc a[data-key]")];
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
    for (const el of doc.querySelectorAll(".cp-reached")) el.classList.remove("cp-reached");
    sections.forEach((section, i) => {
      if (section) section.hidden = i !== index;
    });
    for (const link of links) {
      if (link.dataset.key === pages[index].key) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
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

  /** Follow a link to a spot inside a page (a citation, a reference): show it, move there. */
  function reach(target) {
    const index = sections.findIndex((s) => s?.contains(target));
    if (index < 0) return false;
    show(index, { focus: false });
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.classList.add("cp-reached");
    target.focus({ preventScroll: true });
    target.scrollIntoView?.({ block: "center" });
    return true;
  }

  doc.addEventListener("click", (event) => {
    const link = event.target.closest?.('a[href^="#"]');
    if (!link) return;
    const href = link.getAttribute("href");
    if (href.startsWith("#page-")) {
      const index = indexOf(decodeURIComponent(href.slice("#page-".length)));
      if (index < 0) return;
      event.preventDefault();
      if (toc && narrow.matches && toc.contains(link)) toc.open = false;
      show(index);
      return;
    }
    const target = href.length > 1 ? doc.getElementById(decodeURIComponent(href.slice(1))) : null;
    if (target && !target.classList.contains("cp-page") && reach(target)) event.preventDefault();
  });
  prev?.addEventListener("click", () => show(current - 1));
  next?.addEventListener("click", () => show(current + 1));
  if (pager) pager.hidden = false;
  if (toc && narrow.matches) toc.open = false;

  return {
    show,
    indexOf,
    get current() {
      return current;
    },
  };
}
