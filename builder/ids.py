"""Stable identifiers, all derived from the course IRI (never random, never time-based).

The same IRI gives the same identifiers in every build and every version of the course, so an
LMS keeps learner progress when a new version replaces an old one.
"""

from __future__ import annotations

import uuid


def course_uuid(course_iri: str) -> uuid.UUID:
    """The course's UUID: uuid5 in the URL namespace of the IRI."""
    return uuid.uuid5(uuid.NAMESPACE_URL, course_iri)


def xml_id(course_iri: str, *parts: str) -> str:
    """An XML `ID`-safe identifier for the course or one of its parts (manifest, item, resource)."""
    name = "/".join((course_iri.rstrip("/"), *parts))
    return f"CP-{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def activity_iri(course_iri: str, *parts: str) -> str:
    """An xAPI activity IRI for a part of the course, below the course IRI."""
    return "/".join((course_iri.rstrip("/"), *parts))
