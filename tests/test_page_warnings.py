"""What in a page builds, but not as its author may expect, is a warning naming the page and the
line (`markdown.parse_markdown`, `course_warnings.page_warnings`): raw HTML the sanitiser removes
(the warnings say what it removes, no more and no less), and a heading level skipped."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from test_cli import run
from test_loader import FIXTURES

from builder.course_warnings import page_warnings
from builder.loader import load_course
from builder.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, parse_markdown, to_html
from tests.helpers import REPO

#: Tags the sanitiser does not keep, common in pasted HTML (embeds, forms, layout, old markup).
OTHER_TAGS = [
    "script",
    "style",
    "template",
    "iframe",
    "video",
    "audio",
    "source",
    "object",
    "embed",
    "canvas",
    "svg",
    "math",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "label",
    "noscript",
    "h1",
    "section",
    "article",
    "nav",
    "header",
    "footer",
    "aside",
    "main",
    "font",
    "center",
    "marquee",
    "picture",
    "dialog",
    "link",
    "meta",
    "base",
    "title",
    "my-widget",
]
#: Attributes tried on every kept tag.
ATTRIBUTES = [
    "class",
    "style",
    "id",
    "onclick",
    "onerror",
    "data-x",
    "target",
    "rel",
    "href",
    "src",
    "alt",
    "title",
    "width",
    "height",
    "lang",
    "dir",
    "hreflang",
    "colspan",
    "rowspan",
    "scope",
    "start",
]
#: A kept tag in a place where HTML allows it (so that only the sanitiser decides what stays).
CONTEXT = {
    **dict.fromkeys(("td", "th"), "<table><tbody><tr>{}</tr></tbody></table>"),
    "tr": "<table><tbody>{}</tbody></table>",
    **dict.fromkeys(("thead", "tbody", "tfoot", "caption"), "<table>{}</table>"),
    "li": "<ul>{}</ul>",
    **dict.fromkeys(("dt", "dd"), "<dl>{}</dl>"),
    "summary": "<details>{}</details>",
    "figcaption": "<figure>{}</figure>",
}
VOID = {"br", "hr", "img"}
VALUE = "https://example.org/v"


def element(tag: str, attribute: str = "", content: str = "XYZ") -> str:
    """`<tag attribute="VALUE">content</tag>`, in its context; inner table tags hold a cell."""
    attr = f' {attribute}="{VALUE}"' if attribute else ""
    inner = {"tr": "<td>XYZ</td>", "thead": "<tr><td>XYZ</td></tr>"}.get(tag, content)
    inner = "<tr><td>XYZ</td></tr>" if tag in ("tbody", "tfoot") else inner
    one = f"<{tag}{attr}>" if tag in VOID else f"<{tag}{attr}>{inner}</{tag}>"
    return CONTEXT.get(tag, "{}").format(one)


def minimal_with_page(tmp_path: Path, body: str) -> Path:
    """The `minimal` course in `tmp_path/modules`, its second page's body (from line 4) `body`."""
    source = tmp_path / "modules"
    shutil.copytree(FIXTURES / "courses" / "minimal", source)
    page = source / "01-basics" / "pages" / "02-the-rule.md"
    page.write_text(f"---\ntitle: The rule\n---\n{body}", encoding="utf-8")
    return source


def warned_and_sanitised(html: str) -> tuple[list[str], str]:
    """The warnings for a page holding `html` (as one HTML block), and the page's HTML."""
    parsed, problems = parse_markdown(html + "\n")
    assert problems == [] or all("HTML <a" in p or "HTML <img" in p for _, p in problems)
    return [message for _, message in parsed.warnings], to_html(parsed)


@pytest.mark.parametrize("tag", sorted(ALLOWED_TAGS) + OTHER_TAGS)
def test_a_tag_is_warned_about_exactly_when_the_sanitiser_removes_it(tag: str) -> None:
    warned, html = warned_and_sanitised(element(tag))
    kept = f"<{tag}>" in html or f"<{tag} " in html
    assert [w for w in warned if w.startswith(f"HTML <{tag}>")] == ([] if kept else [warned[0]]), (
        html
    )
    if not kept:  # and whether what it holds goes with it, as the warning says
        assert ("with what it holds" in warned[0]) == ("XYZ" not in html), html


@pytest.mark.parametrize("tag", sorted(ALLOWED_TAGS))
def test_an_attribute_is_warned_about_exactly_when_the_sanitiser_removes_it(tag: str) -> None:
    for attribute in ATTRIBUTES:
        warned, html = warned_and_sanitised(element(tag, attribute))
        kept = f' {attribute}="{VALUE}"' in html
        mine = [w for w in warned if w.startswith(f"HTML <{tag} {attribute}>")]
        expected = f"HTML <{tag} {attribute}>: attribute removed from the page (kept on <{tag}>: "
        assert [w[: len(expected)] for w in mine] == ([] if kept else [expected]), html
        assert kept == (attribute in ALLOWED_ATTRIBUTES.get(tag, set()) | ALLOWED_ATTRIBUTES["*"])


def test_the_build_warns_with_the_line_and_the_page_is_built_without_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = minimal_with_page(
        tmp_path,
        "Every fact needs a source.\n\n"
        '<iframe src="https://video.example.org/embed/1" title="The rule"></iframe>\n\n'
        '<div class="note"\n     style="color: red">\n<p>A <span onclick="go()">note</span>.</p>\n'
        "</div>\n",
    )
    out = tmp_path / "dist"
    code, _, err = run(capsys, "build", "-q", "--source", str(source), "--out", str(out),
                       "-t", "web")  # fmt: skip
    assert code == 0
    where = f"{source}/01-basics/pages/02-the-rule.md"
    assert err.splitlines() == [
        f"warning: {where}:6: body: HTML <iframe>: removed from the page (pages keep text markup "
        "only: headings, lists, tables, links, images; link to anything else)",
        f"warning: {where}:8: body: HTML <div class>: attribute removed from the page (kept on "
        "<div>: dir, lang)",
        f"warning: {where}:8: body: HTML <div style>: attribute removed from the page (kept on "
        "<div>: dir, lang)",
        f"warning: {where}:10: body: HTML <span onclick>: attribute removed from the page (kept "
        "on <span>: dir, lang)",
    ]
    [package] = out.iterdir()
    with zipfile.ZipFile(package) as zf:
        html = zf.read("index.html").decode("utf-8")
    assert "Every fact needs a source." in html and "<div>" in html
    assert "video.example.org" not in html and "onclick" not in html and "color: red" not in html


def test_the_shipped_course_has_no_html_the_sanitiser_removes() -> None:
    assert page_warnings(load_course(REPO / "modules")) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("## A\n\n### B\n\n#### C\n\n## D\n\n### E\n", []),
        ("Text.\n\n### B\n", [(3, "heading '###' opens the page: expected '##'")]),
        (
            "## A\n\ntext\n\n#### C\n",
            [(5, "heading '####' follows a '##' heading: expected '###'")],
        ),
        (
            "## A\n\n##### E\n\n###### F\n\n## G\n\n#### H\n",
            [
                (3, "heading '#####' follows a '##' heading: expected '###'"),
                (9, "heading '####' follows a '##' heading: expected '###'"),
            ],
        ),
        ("B\n---\n\n#### C\n", [(4, "heading '####' follows a '##' heading: expected '###'")]),
    ],
)
def test_a_heading_level_skipped_is_a_warning(body: str, expected: list[tuple[int, str]]) -> None:
    parsed, problems = parse_markdown(body)
    assert problems == []
    assert [(line, w.partition(" (")[0]) for line, w in parsed.warnings] == expected
    assert all(w.endswith("who move by heading level)") for _, w in parsed.warnings)


def test_the_same_warning_on_many_lines_of_a_page_is_said_once_with_its_lines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # HTML pasted from a word processor: the same class and style on every paragraph.
    pasted = "\n\n".join(f'<p class="MsoNormal" style="margin:0">Rule {n}.</p>' for n in range(9))
    source = minimal_with_page(tmp_path, pasted + "\n")
    code, _, err = run(capsys, "build", "-q", "--source", str(source), "--out",
                       str(tmp_path / "dist"), "-t", "web")  # fmt: skip
    assert code == 0
    where = f"{source}/01-basics/pages/02-the-rule.md"
    also = "(also on lines 6, 8, 10, 12, 14 and 3 more)"
    assert err.splitlines() == [
        f"warning: {where}:4: body: HTML <p class>: attribute removed from the page (kept on "
        f"<p>: dir, lang) {also}",
        f"warning: {where}:4: body: HTML <p style>: attribute removed from the page (kept on "
        f"<p>: dir, lang) {also}",
    ]
