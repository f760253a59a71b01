import { test } from "node:test";
import assert from "node:assert/strict";
import { leavesCourse, openLinksOutside } from "../../templates/runtime/ui/links.js";

test("a link to another site or a file of the package leaves; one inside the page does not", () => {
  for (const href of [
    "https://example.org/rule", "http://example.org", "assets/m1/handout.pdf",
    "//example.org/x", "glossary.html", " https://example.org ",
  ]) {
    assert.equal(leavesCourse(href), true, href);
  }
  for (const href of [
    "#page-m1/p2", "#ref-r6", "#", "", null, undefined, "mailto:a@example.org",
    "MAILTO:a@example.org", "tel:+15551234",
  ]) {
    assert.equal(leavesCourse(href), false, String(href));
  }
});

/** A stand-in link: its attributes, classes and appended children. */
function link(attributes) {
  const attrs = new Map(Object.entries(attributes));
  const classes = new Set();
  return {
    attrs, classes, children: [],
    hasAttribute: (name) => attrs.has(name),
    getAttribute: (name) => attrs.get(name) ?? null,
    setAttribute: (name, value) => attrs.set(name, value),
    classList: { add: (c) => classes.add(c) },
    append(child) { this.children.push(child); },
  };
}

test("each link out opens a new window, said in its words; the others stay as written", () => {
  const links = {
    site: link({ href: "https://example.org/rule" }),
    file: link({ href: "assets/m1/handout.pdf" }),
    page: link({ href: "#page-m1/p2" }),
    mail: link({ href: "mailto:a@example.org" }),
    own: link({ href: "glossary.html", target: "_self" }),
    download: link({ href: "bench-cards.pdf", download: "" }),
  };
  const selectors = [];
  const root = {
    querySelectorAll(selector) {
      selectors.push(selector);
      return Object.values(links);
    },
  };
  const doc = { createElement: (tag) => ({ tag, className: "", textContent: "" }) };
  openLinksOutside(root, doc, "(opens in a new window)");
  assert.deepEqual(selectors, ["section.cp-page a[href]"]);
  for (const name of ["site", "file"]) {
    const { attrs, classes, children } = links[name];
    assert.equal(attrs.get("target"), "_blank", name);
    assert.equal(attrs.get("rel"), "noopener noreferrer", name);
    assert.deepEqual([...classes], ["cp-out"], name);
    assert.deepEqual(children, [
      { tag: "span", className: "cp-new-window", textContent: " (opens in a new window)" },
    ]);
  }
  for (const name of ["page", "mail", "own", "download"]) {
    const { attrs, classes, children } = links[name];
    assert.equal(attrs.has("rel"), false, name);
    assert.equal(classes.size + children.length, 0, name);
  }
  assert.equal(links.own.attrs.get("target"), "_self");
});
