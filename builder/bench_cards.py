"""Bench cards (`bench-cards.yaml`): one page per role, drawn from the course, with its sources.

The cards ship in every package as a printable page (`bench-cards.html`, rendered with the
pages' templates) and as a PDF (`bench-cards.pdf`): `card_paragraphs` sets each card as
paragraphs, and `builder.pdf` lays them out and writes them in the standard Helvetica fonts, so
the text is extractable and no font file is read or embedded. The PDF is reproducible: its
creation date is SOURCE_DATE_EPOCH (UTC) when set, else 1980-01-01, as the zip entries'
(`builder.package.zip_date_time`), and nothing else in it varies between builds.
`source_problems` checks that each card cites only references the course itself cites.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from builder import pdf
from builder.package import zip_date_time
from builder.spec import Slug, Text
from builder.typed import Rule

#: Where the cards go in a package.
HTML_NAME = "bench-cards.html"
PDF_NAME = "bench-cards.pdf"
#: A reference tag of the course's reference lists: `[R15a]`.
TAG = re.compile(r"\[R\d+[a-z]?\]")
#: Characters Helvetica (Windows-1252 in the PDF's standard fonts) lacks, and what the PDF writes
#: instead.
_PLAIN = str.maketrans({"\u2011": "-", "\u2212": "-", "\u2009": " ", "\u202f": " "})


@dataclass(frozen=True, slots=True, kw_only=True)
class BenchItem:
    """One line of a card: a fact the course states, and the course's source for it."""

    text: Text
    source: Annotated[str, Rule(min_length=1)]


@dataclass(frozen=True, slots=True, kw_only=True)
class BenchSection:
    """A heading of a card and its items."""

    heading: Text
    items: Annotated[tuple[BenchItem, ...], Rule(min_length=1)]


@dataclass(frozen=True, slots=True, kw_only=True)
class BenchCard:
    """The card of one role."""

    role: Slug
    title: Annotated[str, Rule(min_length=1, max_length=80)]
    sections: Annotated[tuple[BenchSection, ...], Rule(min_length=1)]


@dataclass(frozen=True, slots=True, kw_only=True)
class BenchCards:
    """`bench-cards.yaml`."""

    title: Annotated[str, Rule(min_length=1, max_length=80)]
    cards: Annotated[tuple[BenchCard, ...], Rule(min_length=1, max_length=12)]


def source_problems(cards: BenchCards, cited: set[str]) -> list[tuple[tuple[str | int, ...], str]]:
    """(key path, message) for each item whose source cites no tag, or a tag the course never
    cites (`cited`: every `[Rnn]` of the pages and question sources), for a text the PDF cannot
    write and for a role with two cards."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    titles: list[tuple[tuple[str | int, ...], str]] = [(("title",), cards.title)]
    for c, card in enumerate(cards.cards):
        titles.append((("cards", c, "title"), card.title))
        titles += [
            (("cards", c, "sections", s, "heading"), x.heading) for s, x in enumerate(card.sections)
        ]
    problems += [(at, unwritable_message(bad)) for at, text in titles if (bad := _unwritable(text))]
    roles: set[str] = set()
    for c, card in enumerate(cards.cards):
        if card.role in roles:
            msg = f"expected one card per role, found '{card.role}' again"
            problems.append((("cards", c, "role"), msg))
        roles.add(card.role)
        for s, section in enumerate(card.sections):
            for i, item in enumerate(section.items):
                at: tuple[str | int, ...] = ("cards", c, "sections", s, "items", i)
                for key, value in (("text", item.text), ("source", item.source)):
                    if bad := _unwritable(value):
                        problems.append(((*at, key), unwritable_message(bad)))
                tags = TAG.findall(item.source)
                unknown = ", ".join(t for t in tags if t not in cited)
                if not tags:
                    msg = "expected a reference the course cites, like [R15a], found none"
                    problems.append(((*at, "source"), msg))
                elif unknown:
                    msg = f"expected references the course cites, found {unknown} in no page"
                    problems.append(((*at, "source"), msg))
    return problems


def cited_tags(texts: Iterable[str]) -> set[str]:
    """Every reference tag in `texts`."""
    return {t for text in texts for t in TAG.findall(text)}


def unwritable_message(bad: str) -> str:
    """`expected …, found …` for a character the PDF cannot write."""
    return f"expected characters the PDF's font has (Windows-1252), found {bad!r}"


def course_title_problem(title: str) -> str | None:
    """What is wrong with the course title on the cards' PDF, or None."""
    bad = _unwritable(title)
    return f"{unwritable_message(bad)} (the course title is on every bench card)" if bad else None


def _unwritable(text: str) -> str:
    """The first character of `text` the PDF cannot write, or ""."""
    for ch in text.translate(_PLAIN):
        try:
            ch.encode("cp1252")
        except UnicodeEncodeError:
            return ch
    return ""


def _plain(text: str) -> str:
    """`text` as Helvetica can write it (cp1252); a character it lacks is a `ValueError`."""
    out = " ".join(text.translate(_PLAIN).split())
    out.encode("cp1252")
    return out


#: The cards' paragraph styles: font, size (pt), line height (mm).
_COURSE = pdf.Style(pdf.Font.REGULAR, 8, 4)
_TITLE = pdf.Style(pdf.Font.BOLD, 16, 9)
_HEADING = pdf.Style(pdf.Font.BOLD, 11.5, 6)
_ITEM = pdf.Style(pdf.Font.REGULAR, 10, 5)
_SOURCE = pdf.Style(pdf.Font.OBLIQUE, 8, 4)


def card_paragraphs(card: BenchCard, course_title: str) -> list[pdf.Para]:
    """One card as the PDF's paragraphs: the course, the card's title, each heading, and each
    item followed by its source."""
    paras = [pdf.Para(_plain(course_title), _COURSE), pdf.Para(_plain(card.title), _TITLE)]
    for section in card.sections:
        paras.append(pdf.Para(_plain(section.heading), _HEADING, space_before=2))
        for item in section.items:
            paras.append(pdf.Para(_plain("- " + item.text), _ITEM))
            paras.append(pdf.Para(_plain(item.source), _SOURCE))
    return paras


@functools.lru_cache(maxsize=8)
def pdf_bytes(cards: BenchCards, course_title: str, language: str) -> bytes:
    """The cards as a PDF: one A4 page per card, its headings, items and sources as text.

    Made once per build and course (every package carries the same bytes).
    """
    pages = pdf.layout(card_paragraphs(card, course_title) for card in cards.cards)
    info = pdf.Info(
        title=_plain(f"{cards.title}: {course_title}"),
        language=language,
        creator="coursepack",
        created=datetime(*zip_date_time(), tzinfo=UTC),
    )
    return pdf.document(pages, info)
