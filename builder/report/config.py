"""The `report` command's options as a `ReportConfig`, and its progress bar on the terminal."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from builder.config import lrs_endpoint, shown_url
from builder.errors import UsageError
from builder.report.aggregate import Filters
from builder.report.read import FileSource, LrsSource
from builder.report.run import ReportConfig
from builder.spec import SEMVER


def _instant(option: str, value: str | None) -> float | None:
    """Epoch seconds of an ISO 8601 date or date-time (UTC when it names no zone)."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(
            f"{option}: expected an ISO 8601 date or date-time such as 2026-01-31 or "
            f"2026-01-31T12:00:00Z, found {value!r}"
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _lrs_url(value: str) -> str:
    """`value` if it is an http(s) URL with a host and without a credential, query or fragment,
    else a `UsageError` (which shows no credential: errors and logs would keep it)."""
    try:
        parts = urlsplit(value)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # an invalid port or IPv6 address
        ok = False
    if not ok:
        raise UsageError(
            "--lrs: expected the http(s) URL of an LRS (e.g. https://lrs.example.org/xapi/), "
            f"found {shown_url(value)!r}"
        )
    return lrs_endpoint("--lrs", value, "name the variable holding it with --lrs-auth-env")


def report_config(options: Mapping[str, Any], environ: Mapping[str, str]) -> ReportConfig:
    """Check the options (one source, the credential's variable set) and assemble the config."""
    lrs, from_file = options["lrs"], options["from_file"]
    if (lrs is None) == (from_file is None):
        raise UsageError("expected exactly one of --lrs URL or --from FILE")
    source: FileSource | LrsSource
    if from_file is not None:
        source = FileSource(Path(from_file))
    else:
        auth = None
        if options["auth_env"]:
            auth = environ.get(options["auth_env"])
            if not auth:
                raise UsageError(
                    f"--lrs-auth-env {options['auth_env']}: expected the LRS credential "
                    "(an Authorization header value, e.g. 'Basic …') in that environment "
                    "variable, found it unset or empty"
                )
        source = LrsSource(_lrs_url(lrs), auth, page_size=options["page_size"])
    since, until = _instant("--since", options["since"]), _instant("--until", options["until"])
    if since is not None and until is not None and since > until:
        raise UsageError(
            f"--since {options['since']} is after --until {options['until']}: expected the "
            "start of the period before its end"
        )
    version = options["course_version"]
    if version is not None and not re.match(SEMVER, version):
        raise UsageError(
            "--version: expected a course version MAJOR.MINOR.PATCH as in course.yaml "
            f"(e.g. 1.1.0), found {version!r}"
        )
    for iri in options["course_ids"]:
        # An LMS may launch with any absolute IRI (https://…, urn:…), not only the course's kind.
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$", iri):
            raise UsageError(
                f"--course-activity: expected an absolute IRI (an activity id such as "
                f"https://… or urn:…), found {iri!r}"
            )
    filters = Filters(
        course_ids=frozenset(options["course_ids"]),
        version=options["course_version"],
        since=since,
        until=until,
    )
    return ReportConfig(
        source=source,
        source_dir=options["source_dir"],
        filters=filters,
        seed=options["seed"],
        include_comments=options["include_comments"],
    )


class ProgressBar:
    """`[#####-----]  45 %` (bytes of a file) or a running count (an LRS), on a terminal only."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.shown = False
        self.last = ""

    def __call__(self, done: int, total: int | None) -> None:
        if not self.stream.isatty():
            return
        if total:
            fill = int(30 * done / total)
            text = f"reading [{'#' * fill}{'-' * (30 - fill)}] {100 * done / total:3.0f} %"
        else:
            text = f"reading: {done:,} statements"
        if text != self.last:
            self.stream.write("\r" + text)
            self.stream.flush()
            self.shown, self.last = True, text

    def close(self) -> None:
        """End the bar's line."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
