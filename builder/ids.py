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


def manifest_ids(course_iri: str, unit: str | None = None) -> dict[str, str]:
    """The manifest's XML identifiers: for the whole course, or for one module's package.

    A module package (`--split modules`) gets its own identifiers, scoped by the module id, so an
    LMS never mistakes one module's package for another's or for the whole course.
    """
    scope = ("module", unit) if unit else ()
    return {
        "manifest": xml_id(course_iri, *scope, "manifest"),
        "organization": xml_id(course_iri, *scope, "organization"),
        "item": xml_id(course_iri, *scope, "item", "course"),
        "resource": xml_id(course_iri, *scope, "resource", "sco"),
        "objective": xml_id(course_iri, *scope, "objective", "primary"),
    }
