"""The field types shared by the authored-YAML models of course and questions.

Every such model is a `@dataclass(frozen=True, slots=True, kw_only=True)` validated by
`builder.typed`: unknown keys and values of another type are errors (a number is never text).
"""

from __future__ import annotations

from typing import Annotated

from builder.typed import Rule

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SEMVER = r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$"
#: No whitespace and none of the characters RFC 3987 excludes from IRIs (`"<>{}|\^` and backtick).
IRI = r"^https?://[^\s/$.?#<>\"{}|\\^`][^\s<>\"{}|\\^`]*$"
LANG = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"
#: A colour as `#rrggbb`.
HEX = r"^#[0-9a-fA-F]{6}$"
#: An image file at the top of the course folder (a logo).
IMAGE_FILE = r"^[\w][\w.-]*\.(?:png|svg|jpg|jpeg|webp)$"

Slug = Annotated[str, Rule(pattern=SLUG, max_length=64)]
Text = Annotated[str, Rule(min_length=1)]
#: A number an answer or a range may be: finite, and exact as a JavaScript number (2**53 > 1e15).
Number = Annotated[float, Rule(ge=-1e15, le=1e15, finite=True)]
#: Whole minutes of a course or module (100,000 minutes are more than 69 days).
Minutes = Annotated[int, Rule(gt=0, le=100_000)]
