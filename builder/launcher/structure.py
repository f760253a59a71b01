"""The course structure of a cmi5 package (`cmi5.xml`, cmi5 §13) as the launcher needs it.

Pure: parses the XML it is given (the package reader has already checked it against the XSD) into
frozen records, and says when an AU, a block or the course is satisfied (§9.3.9, moveOn §13.1.4).
"""

from __future__ import annotations

from collections.abc import Iterator, Set
from dataclasses import dataclass

from lxml import etree

NS = "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}"


@dataclass(frozen=True, slots=True)
class Au:
    """An `<au>` (§13.1.4): its publisher id, title, URL and what satisfies it."""

    id: str
    title: str
    url: str
    move_on: str
    mastery_score: float | None
    launch_method: str
    launch_parameters: str | None


@dataclass(frozen=True, slots=True)
class Block:
    """A `<block>` (§13.1.2), or the course itself: its id, title and members in order."""

    id: str
    title: str
    members: tuple[Au | Block, ...]
    #: The language of the title (the course's: what the launcher offers as the learner's
    #: languagePreference when the LMS knows none).
    language: str = ""

    def aus(self) -> Iterator[Au]:
        """Every AU below this block, in course order."""
        for member in self.members:
            if isinstance(member, Au):
                yield member
            else:
                yield from member.aus()

    def blocks(self) -> Iterator[Block]:
        """Every block below this one (not itself), depth first."""
        for member in self.members:
            if isinstance(member, Block):
                yield member
                yield from member.blocks()


def _text(element: etree._Element, name: str) -> str:
    """The first langstring of child `name`, stripped (§13.1: the LMS removes the whitespace)."""
    found = element.find(f"{NS}{name}/{NS}langstring")
    return (found.text or "").strip() if found is not None else ""


def _au(element: etree._Element) -> Au:
    mastery = element.get("masteryScore")
    parameters = element.find(f"{NS}launchParameters")
    return Au(
        id=str(element.get("id", "")).strip(),
        title=_text(element, "title"),
        url=(element.findtext(f"{NS}url") or "").strip(),
        # The XSD's defaults where the attribute is left out (§13.1.4).
        move_on=element.get("moveOn", "NotApplicable"),
        mastery_score=float(mastery) if mastery is not None else None,
        launch_method=element.get("launchMethod", "AnyWindow"),
        launch_parameters=(parameters.text or "").strip() if parameters is not None else None,
    )


def _members(element: etree._Element) -> tuple[Au | Block, ...]:
    members: list[Au | Block] = []
    for child in element:
        if child.tag == f"{NS}au":
            members.append(_au(child))
        elif child.tag == f"{NS}block":
            members.append(
                Block(str(child.get("id", "")).strip(), _text(child, "title"), _members(child))
            )
    return tuple(members)


def parse_structure(data: bytes) -> Block:
    """The course of `cmi5.xml` as a `Block` whose members are its AUs and blocks."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(data, parser)
    course = root.find(f"{NS}course")
    if course is None:
        raise ValueError("cmi5.xml: no <course>")
    title = course.find(f"{NS}title/{NS}langstring")
    language = (title.get("lang") or "") if title is not None else ""
    course_id = str(course.get("id", "")).strip()
    return Block(course_id, _text(course, "title"), _members(root), language)


def au_satisfied(au: Au, completed: bool, passed: bool) -> bool:
    """Whether the AU's moveOn criterion is met (§13.1.4 moveOn; NotApplicable always is)."""
    return {
        "Passed": passed,
        "Completed": completed,
        "CompletedAndPassed": completed and passed,
        "CompletedOrPassed": completed or passed,
        "NotApplicable": True,
    }.get(au.move_on, False)


def block_satisfied(block: Block, satisfied_aus: Set[str]) -> bool:
    """§9.3.9: a block (or the course) is satisfied when every AU in it is."""
    return all(au.id in satisfied_aus for au in block.aus())
