"""The LRS settings the runtime reads from the course data (dual-track SCORM + xAPI)."""

from __future__ import annotations

from builder.config import LrsConfig


def lrs_data(config: LrsConfig | None) -> dict[str, str] | None:
    """`{"endpoint", "actorHomePage"}` plus `"auth"` only when embedding was asked for; or None."""
    if config is None:
        return None
    data = {"endpoint": config.endpoint, "actorHomePage": config.actor_homepage}
    if config.embed_credential and config.credential is not None:
        data["auth"] = config.credential
    return data
