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
    #: What builds but the author should know, as `(line, message)`: raw HTML the sanitiser
    #: will remove, a heading level skipped. The build warns (builder/course_warnings.py).
    warnings: tuple[tuple[int | None, str], ...] = ()
    #: Every http(s) address the page links to or shows an image from, as `(line, address)`
    #: (Markdown, autolinks and raw HTML): what `check --links` asks (builder/linkcheck.py).
    addresses: tuple[tuple[int | None, str], ...] = ()


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


#: Alternative texts that are not alternatives: placeholders (auto-wcag's list, "Validate Text
#: Alternative") and a file name, failures of WCAG 2 success criterion 1.1.1 (technique F30).
_PLACEHOLDERS = {"image", "img", "photo", "picture", "graphic", "placeholder", "spacer", "alt"}
_FILE_NAME = re.compile(r".+\.(?:png|jpe?g|jfif|gif|webp|avif|svg|bmp|tiff?)", re.IGNORECASE)


def not_an_alternative(alt: str, src: str) -> str | None:
    """Why `alt` does not say what the image `src` shows (a file name or a placeholder), or None:
    a screen reader would read it out in place of the image."""
    said = " ".join(alt.split())
    name = src.rsplit("/", 1)[-1].split("?")[0].split("#")[0]
    if (
        said.lower() in _PLACEHOLDERS
        or _FILE_NAME.fullmatch(said)
        or said.lower() in (name.lower(), name.rpartition(".")[0].lower())
    ):
        return (
            "expected alternative text that says what the image shows, found "
            f"'{said}' (a file name or placeholder, which a screen reader reads out instead)"
        )
    return None


def _below(line: int | None, lines: int) -> int | None:
    """The line `lines` lines below `line`, if that is known."""
    return None if line is None else line + lines


def parse_markdown(
    body: str, first_line: int = 1, resolve: Resolver = _keep
) -> tuple[Parsed, list[tuple[int | None, str]]]:
    """Parse `body`; `resolve` rewrites every relative link and image.

    Returns the parse and the problems found as `(line, message)`, lines counted in the file.
    """
    tokens = _MD.parse(body)
    problems: list[tuple[int | None, str]] = []
    warnings: dict[tuple[int | None, str], None] = {}  # in order, each once
    addresses: list[tuple[int | None, str]] = []
    level = 1  # the page's title
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
        elif tok.type == "heading_open":
            if (skipped := _skipped(level, int(tok.tag[1]))) is not None:
                warnings[(line, skipped)] = None
            level = int(tok.tag[1])
        if tok.type == "text":
            problems.extend((line, p) for p in _refused_links(tok.content))
            continue
        if tok.type in ("html_block", "html_inline"):
            tags = _Tags(tok.content)
            problems.extend((_below(line, n), p) for n, p in html_problems(tags))
            warnings.update(((_below(line, n), r), None) for n, r in html_removed(tags))
            addresses.extend(
                (_below(line, n), url)
                for tag, attrs, n in tags.found
                if tag in ("a", "img") and _WEB.match(url := attrs.get(_URL_OF[tag], "").strip())
            )
            continue
        attr = "href" if tok.type == "link_open" else "src" if tok.type == "image" else None
        if attr is None:
            continue
        target = str(tok.attrs.get(attr, ""))
        if _WEB.match(target):
            addresses.append((line, target))
        alt = tok.content if tok.type == "image" else ""
        ref = Ref("image" if attr == "src" else "link", target, line, alt)
        if ref.kind == "image" and not alt.strip():
            problems.append(
                (line, f"image '{target}': expected alternative text in ![…], found none")
            )
        elif ref.kind == "image" and (why := not_an_alternative(alt, target)) is not None:
            problems.append((line, f"image '{target}': {why}"))
        try:
            tok.attrs[attr] = resolve(ref)
        except RefError as exc:
            problems.append((line, str(exc)))
    return Parsed(tuple(tokens), tuple(warnings), tuple(addresses)), problems


#: An address on the web, which a link check can ask; the attribute holding it in raw HTML.
_WEB = re.compile(r"https?://", re.IGNORECASE)
_URL_OF = {"a": "href", "img": "src"}


def _skipped(level: int, new: int) -> str | None:
    """The warning for a heading of level `new` after one of `level` (1: the page's title) if it
    skips a level: screen reader users move through a page by its headings' levels, and a
    skipped one reads as a missing part (axe-core's rule heading-order)."""
    if new <= level + 1:
        return None
    after = "opens the page" if level == 1 else f"follows a '{'#' * level}' heading"
    return (
        f"heading '{'#' * new}' {after}: expected '{'#' * (level + 1)}' (a level skipped reads "
        "as a missing part to screen reader users, who move by heading level)"
    )


class _Tags(HTMLParser):
    """The start tags of a piece of raw HTML, in order: each with its attributes, and the number
    of lines before it in the piece."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str], int]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}, self.getpos()[0] - 1))


#: Tags the sanitiser removes together with what they hold.
_REMOVED_WITH_CONTENT = {"script", "style", "template"}


def html_removed(tags: _Tags) -> list[tuple[int, str]]:
    """What the sanitiser will remove from a piece of raw HTML, a message for each tag and
    attribute (after how many of its lines): the page builds without them, and the author
    should know what went."""
    out = []
    for tag, attrs, n in tags.found:
        if tag not in ALLOWED_TAGS:
            held = " with what it holds" if tag in _REMOVED_WITH_CONTENT else ""
            out.append(
                (
                    n,
                    f"HTML <{tag}>: removed from the page{held} (pages keep text markup only: "
                    "headings, lists, tables, links, images; link to anything else)",
                )
            )
            continue
        kept = ALLOWED_ATTRIBUTES.get(tag, set()) | ALLOWED_ATTRIBUTES["*"]
        for name in attrs:
            if name not in kept:
                out.append(
                    (
                        n,
                        f"HTML <{tag} {name}>: attribute removed from the page (kept on <{tag}>: "
                        f"{', '.join(sorted(kept))})",
                    )
                )
    return out


def html_problems(tags: _Tags) -> list[tuple[int, str]]:
    """What is wrong with the images and links of raw HTML in a page (after how many of its
    lines).

    Markdown images and links are checked and rewritten to the package's paths; in raw HTML
    they are not, so a path of the course there would be a dead link or image (and an image
    without alternative text would pass unseen).
    """
    problems = []
    for tag, attrs, n in tags.found:
        if tag not in ("img", "a"):
            continue
        attr, kind, md = ("src", "image", "![text]") if tag == "img" else ("href", "link", "[text]")
        url = attrs.get(attr, "")
        shown = f'HTML <{tag} {attr}="{url}">'
        if tag == "img" and not attrs.get("alt", "").strip():
            problems.append((n, f'{shown}: expected alternative text in alt="…", found none'))
        elif tag == "img" and (why := not_an_alternative(attrs["alt"], url)) is not None:
            problems.append((n, f"{shown}: {why}"))
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
                (
                    n,
                    f"{shown}: expected a Markdown {kind} {md}({url}) {what} of the course, found "
                    f"an HTML {kind} (its path is neither checked nor rewritten)",
                )
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
