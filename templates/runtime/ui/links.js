// Links out of the course open in a new window. A link to another site or to a file of the
// package, followed in the LMS's frame, would unload the course, and unloading finishes its
// session (page-exit.js): what the learner did after coming back would reach no LMS. A link
// inside the page (`#…`), a mail or phone link and a download stay as written.

/** Whether following `href` takes the window away from the course. */
export function leavesCourse(href) {
  const value = String(href ?? "").trim();
  if (value === "" || value.startsWith("#")) return false;
  return !/^(mailto|tel):/i.test(value);
}

/**
 * Open every link of the pages under `root` that leaves the course in a new window, and say so
 * in its name with `label` ("(opens in a new window)", WCAG technique G201). A link that names
 * its own target is left alone.
 */
export function openLinksOutside(root, doc, label) {
  for (const link of root.querySelectorAll("section.cp-page a[href]")) {
    if (link.hasAttribute("target") || link.hasAttribute("download")) continue;
    if (!leavesCourse(link.getAttribute("href"))) continue;
    link.setAttribute("target", "_blank");
    link.setAttribute("rel", "noopener noreferrer");
    link.classList.add("cp-out");
    const hint = doc.createElement("span");
    hint.className = "cp-new-window";
    hint.textContent = ` ${label}`;
    link.append(hint);
  }
}
