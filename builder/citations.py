"""Citation markers as links (pure): `[R6]` in a module's pages links to the entry of that code on
the module's references page, and each entry links back to where it is cited.

A references page is any page of the module whose list items start with a code in brackets
(`- [R6] "Title", publisher, year. URL`). Markers are linked only in text (never inside a tag or
an existing link), only for codes the module's references hold, and not on the references page
itself. Ids: `ref-<module>-<code>` for an entry, `cite-<module>--<page>-<code>` for the first
marker of a code on a page (the back link's target). The runtime's navigation follows such
in-page links to the page that holds them (`ui/nav.js`); without JavaScript they are ordinary
anchors.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

CODE = r"R\d+[a-z]?"
MARKER = re.compile(rf"\[({CODE})\]")
ENTRY = re.compile(rf"<li>(\s*\[({CODE})\])(.*?)</li>", re.S)
TAG = re.compile(r"(<[^>]+>)")


@dataclass(frozen=True, slots=True)
class CitedPage:
    """One page of a module as the citations see it."""

    id: str
    title: str
    html: str


def _references(pages: Sequence[CitedPage]) -> dict[str, str]:
    """Code -> id of the page whose list holds its entry (the first such page)."""
    found: dict[str, str] = {}
    for page in pages:
        for m in ENTRY.finditer(page.html):
            found.setdefault(m.group(2), page.id)
    return found


def _link_markers(
    module: str, page: CitedPage, refs: dict[str, str], cited: dict[str, list[tuple[str, str]]]
) -> str:
    """`page.html` with each known marker in its text a link to the entry."""
    parts = TAG.split(page.html)
    depth = 0  # inside <a>…</a>: leave the text alone
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            if re.match(r"<a[\s>]", part):
                depth += 1
            elif part.startswith("</a"):
                depth = max(0, depth - 1)
            continue
        if depth:
            continue

        def link(m: re.Match[str]) -> str:
            code = m.group(1)
            if code not in refs or refs[code] == page.id:
                return m.group(0)
            anchor = f"cite-{module}--{page.id}-{code}"
            first = all(a != anchor for a, _ in cited.setdefault(code, []))
            if first:
                cited[code].append((anchor, page.title))
            id_attr = f' id="{anchor}"' if first else ""
            return f'<a class="cp-cite"{id_attr} href="#ref-{module}-{code}">[{code}]</a>'

        parts[i] = MARKER.sub(link, part)
    return "".join(parts)


def _link_entries(
    module: str, page: CitedPage, cited: dict[str, list[tuple[str, str]]], label: str
) -> str:
    def entry(m: re.Match[str]) -> str:
        code = m.group(2)
        back = ", ".join(
            f'<a class="cp-back" href="#{anchor}">{escape(title, quote=False)}</a>'
            for anchor, title in cited.get(code, [])
        )
        note = f' <span class="cp-cited">{escape(label, quote=False)} {back}</span>' if back else ""
        return f'<li id="ref-{module}-{code}">{m.group(1)}{m.group(3)}{note}</li>'

    return ENTRY.sub(entry, page.html)


def link_citations(module: str, pages: Sequence[CitedPage], cited_in: str) -> list[str]:
    """The pages' HTML, in order, with markers and reference entries linked both ways.

    `cited_in` is the words before the back links ("Cited in:", from the message catalogue).
    """
    refs = _references(pages)
    if not refs:
        return [p.html for p in pages]
    cited: dict[str, list[tuple[str, str]]] = {}
    linked = [_link_markers(module, p, refs, cited) for p in pages]
    ref_pages = set(refs.values())
    return [
        _link_entries(module, CitedPage(p.id, p.title, html), cited, cited_in)
        if p.id in ref_pages
        else html
        for p, html in zip(pages, linked, strict=True)
    ]
