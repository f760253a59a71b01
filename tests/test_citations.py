"""Citation markers link to the module's references and back (builder/citations.py)."""

from __future__ import annotations

from lxml import html as lxml_html

from builder.citations import CitedPage, link_citations

REFS = CitedPage(
    "references",
    "References",
    "<p>Sources [R1] used below.</p>\n<ul>\n<li>[R1] First source. https://a.example</li>\n"
    "<li>[R2b] Second source.</li>\n<li>[R3] Never cited.</li>\n</ul>",
)


def test_markers_link_to_entries_and_entries_link_back() -> None:
    text = CitedPage(
        "intro",
        "Intro & more",
        '<p>Fact [R1][R2b], again [R1], unknown [R9], <a href="https://x">[R1]</a>.</p>',
    )
    other = CitedPage("later", "Later", "<p>See [R2b].</p>")
    intro, later, refs = link_citations("m1", [text, other, REFS], "Cited in:")
    page = lxml_html.fromstring(intro)
    cites = page.xpath("//a[@class='cp-cite']")
    assert [(a.get("href"), a.get("id"), a.text) for a in cites] == [
        ("#ref-m1-R1", "cite-m1--intro-R1", "[R1]"),
        ("#ref-m1-R2b", "cite-m1--intro-R2b", "[R2b]"),
        ("#ref-m1-R1", None, "[R1]"),  # one anchor per code and page
    ]
    assert "unknown [R9]" in intro  # no entry: left as text
    assert '<a href="https://x">[R1]</a>' in intro  # inside a link: left alone
    assert 'id="cite-m1--later-R2b"' in later
    entries = lxml_html.fromstring(refs).xpath("//li")
    assert [li.get("id") for li in entries] == ["ref-m1-R1", "ref-m1-R2b", "ref-m1-R3"]
    back = [[(a.get("href"), a.text) for a in li.xpath(".//a[@class='cp-back']")] for li in entries]
    assert back == [
        [("#cite-m1--intro-R1", "Intro & more")],
        [("#cite-m1--intro-R2b", "Intro & more"), ("#cite-m1--later-R2b", "Later")],
        [],
    ]
    assert "Cited in:" in entries[0].text_content() and "Cited in" not in entries[2].text_content()
    # The references page's own markers stay text.
    assert "<p>Sources [R1] used below.</p>" in refs


def test_a_module_without_references_is_unchanged() -> None:
    pages = [CitedPage("a", "A", "<p>[R1] here</p>"), CitedPage("b", "B", "<ul><li>x</li></ul>")]
    assert link_citations("m", pages, "Cited in:") == [p.html for p in pages]
