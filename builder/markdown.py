"""The one configured Markdown renderer: CommonMark + tables, links resolved, HTML sanitised."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Protocol

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

#: Tags an author may use; everything else (script, style, iframe, form…) is removed.
ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "*": {"lang", "dir"},
}
#: URL schemes kept in links and images; the sanitiser removes any other.
URL_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True, slots=True)
class Ref:
    """A link or image target found in a page, with the line it is on."""

    kind: str  # "link" or "image"
    target: str
    line: int | None
    alt: str = ""


class RefError(Exception):
    """Raised by a resolver when a link target is wrong; the message says why."""


Resolver = Callable[[Ref], str]


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("table")


_MD = _parser()


def _walk(tokens: list[Token], line: int | None = None) -> list[tuple[Token, int | None]]:
    out = []
    for tok in tokens:
        here = tok.map[0] + 1 if tok.map else line
        out.append((tok, here))
        if tok.children:
            out.extend(_walk(tok.children, here))
    return out


@dataclass(frozen=True, slots=True)
class Parsed:
    """A page body parsed, its links and images already resolved: what render turns into HTML.

    The loader parses (that is where every link is checked, with its line); `to_html`, called by
    the render stage, renders and sanitises. The tokens are never changed after parsing.
    """

    tokens: tuple[Token, ...]


def _keep(ref: Ref) -> str:
    return ref.target


#: A link or image markdown-it refused for its URL (`javascript:`, `vbscript:`, `file:`, most
#: `data:`): it stays in the page as its literal text, so the author is told instead.
_REFUSED_LINK = re.compile(r"(!?)\[[^\]\n]*\]\(\s*<?([a-zA-Z][a-zA-Z0-9+.-]*):")


def _refused_links(text: str) -> list[str]:
    """Problems for the links and images of `text` (a text token) that were not made links."""
    problems = []
    for match in _REFUSED_LINK.finditer(text):
        scheme = match.group(2)
        if scheme.lower() in URL_SCHEMES:
            continue
        kind = "image" if match.group(1) else "link"
        problems.append(
            f"{kind} '{scheme}:…': expected a path or an http, https or mailto URL, found a "
            f"'{scheme}:' URL (the page would show it as text)"
        )
    return problems


def parse_markdown(
    body: str, first_line: int = 1, resolve: Resolver = _keep
) -> tuple[Parsed, list[tuple[int | None, str]]]:
    """Parse `body`; `resolve` rewrites every relative link and image.

    Returns the parse and the problems found as `(line, message)`, lines counted in the file.
    """
    tokens = _MD.parse(body)
    problems: list[tuple[int | None, str]] = []
    for tok, rel_line in _walk(tokens):
        line = None if rel_line is None else rel_line + first_line - 1
        if tok.type == "heading_open" and tok.tag == "h1":
            problems.append(
                (
                    line,
                    "expected headings from '##' down (the title is the page's "
                    "heading), found a '#' heading",
                )
            )
        if tok.type == "text":
            problems.extend((line, p) for p in _refused_links(tok.content))
            continue
        if tok.type in ("html_block", "html_inline"):
            problems.extend((line, p) for p in html_problems(tok.content))
            continue
        attr = "href" if tok.type == "link_open" else "src" if tok.type == "image" else None
        if attr is None:
            continue
        target = str(tok.attrs.get(attr, ""))
        alt = tok.content if tok.type == "image" else ""
        ref = Ref("image" if attr == "src" else "link", target, line, alt)
        if ref.kind == "image" and not alt.strip():
            problems.append(
                (line, f"image '{target}': expected alternative text in ![…], found none")
            )
        try:
            tok.attrs[attr] = resolve(ref)
        except RefError as exc:
            problems.append((line, str(exc)))
    return Parsed(tuple(tokens)), problems


class _Tags(HTMLParser):
    """The `img` and `a` start tags of a piece of raw HTML, with their attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("img", "a"):
            self.found.append((tag, {k: v or "" for k, v in attrs}))


def html_problems(html: str) -> list[str]:
    """What is wrong with the images and links of raw HTML in a page.

    Markdown images and links are checked and rewritten to the package's paths; in raw HTML
    they are not, so a path of the course there would be a dead link or image (and an image
    without alternative text would pass unseen).
    """
    tags = _Tags()
    tags.feed(html)
    tags.close()
    problems = []
    for tag, attrs in tags.found:
        attr, kind, md = ("src", "image", "![text]") if tag == "img" else ("href", "link", "[text]")
        url = attrs.get(attr, "")
        shown = f'HTML <{tag} {attr}="{url}">'
        if tag == "img" and not attrs.get("alt", "").strip():
            problems.append(f'{shown}: expected alternative text in alt="…", found none')
        # As a browser reads it: tabs and newlines dropped, spaces and controls trimmed (so
        # " java\tscript:" is a URL with a scheme, which the sanitiser removes, not a path).
        probe = re.sub(r"[\t\n\r]", "", url).strip("\x00- ")
        if (
            probe
            and not probe.startswith(("#", "//"))
            and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", probe)
        ):
            what = "for a file" if tag == "img" else "to a page or file"
            problems.append(
                f"{shown}: expected a Markdown {kind} {md}({url}) {what} of the course, found "
                f"an HTML {kind} (its path is neither checked nor rewritten)"
            )
    return problems


def to_html(parsed: Parsed) -> str:
    """The sanitised HTML of a parsed body."""
    return sanitise(_MD.renderer.render(list(parsed.tokens), _MD.options, {}))


class HasBody(Protocol):
    """A page: its Markdown body and, once the loader has checked it, its parse."""

    @property
    def body(self) -> str: ...

    @property
    def parsed(self) -> Parsed | None: ...


def body_html(page: HasBody) -> str:
    """The sanitised HTML of a page's body (parsed here when the loader has not)."""
    return to_html(page.parsed or parse_markdown(page.body)[0])


def sanitise(html: str) -> str:
    """Remove every tag, attribute and URL scheme an author may not use."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
