"""The base of every authored-YAML model and the field types shared by course and questions."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SEMVER = r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$"
#: No whitespace and none of the characters RFC 3987 excludes from IRIs (`"<>{}|\^` and backtick).
IRI = r"^https?://[^\s/$.?#<>\"{}|\\^`][^\s<>\"{}|\\^`]*$"
LANG = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"
#: A colour as `#rrggbb`.
HEX = r"^#[0-9a-fA-F]{6}$"
#: An image file at the top of the course folder (a logo).
IMAGE_FILE = r"^[\w][\w.-]*\.(?:png|svg|jpg|jpeg|webp)$"

Slug = Annotated[str, Field(pattern=SLUG, max_length=64)]
Text = Annotated[str, Field(min_length=1)]
#: A number an answer or a range may be: finite, and exact as a JavaScript number (2**53 > 1e15).
Number = Annotated[float, Field(ge=-1e15, le=1e15, allow_inf_nan=False)]
#: Whole minutes of a course or module (100,000 minutes are more than 69 days).
Minutes = Annotated[int, Field(gt=0, le=100_000)]


class Spec(BaseModel):
    """Base of every authored-YAML model: unknown keys and type coercion are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
