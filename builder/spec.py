"""The base of every authored-YAML model and the field types shared by course and questions."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SEMVER = r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$"
IRI = r"^https?://[^\s/$.?#][^\s]*$"
LANG = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"

Slug = Annotated[str, Field(pattern=SLUG, max_length=64)]
Text = Annotated[str, Field(min_length=1)]


class Spec(BaseModel):
    """Base of every authored-YAML model: unknown keys and type coercion are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
