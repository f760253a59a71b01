"""Build configuration: what the CLI (or a test) asks the build to do."""

from __future__ import annotations

import base64
import binascii
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qsl, urlsplit

from builder.errors import UsageError
from builder.spec import IRI
from builder.targets import DEFAULT_TARGETS
from builder.templates import DEFAULT_TEMPLATES

log = logging.getLogger("coursepack")

#: Said whenever a credential is embedded (standards.md Part B 3.6, adlnet/xAPIWrapper#66).
EMBED_WARNING = (
    "every learner who opens the package, and anyone who gets the zip, can read this LRS "
    "credential and use it to write (and, if the LRS allows it, read) statements; prefer launch "
    "parameters or a token broker"
)


@dataclass(frozen=True, slots=True)
class LrsConfig:
    """Where SCORM packages also send xAPI statements (dual-track) and who the actor is.

    `credential` is a whole Authorization header value (`Basic …`), set only when the build was
    explicitly asked to embed it; it is left out of `repr` so it never reaches a log.
    """

    endpoint: str
    actor_homepage: str
    embed_credential: bool = False
    credential: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.embed_credential != (self.credential is not None):
            raise ValueError("LrsConfig: credential must be set exactly when embed_credential is")


@dataclass(frozen=True, slots=True)
class BuildConfig:
    """Everything `builder.build.build` needs; nothing else is read from the environment."""

    source_dir: Path = Path("modules")
    out_dir: Path = Path("dist")
    targets: tuple[str, ...] = DEFAULT_TARGETS
    split: Literal["course", "modules"] = "course"
    #: One launchable unit per package, or one per module (`builder/units.py`).
    units: Literal["course", "module"] = "course"
    #: The LMS the packages are for (`builder/profiles.py`), None for any.
    lms: str | None = None
    template_dirs: tuple[Path, ...] = field(default=(DEFAULT_TEMPLATES,))
    lrs: LrsConfig | None = None
    #: Resume less (builder/state.py LEVELS) rather than fail when the learner state can overflow.
    allow_state_degrade: bool = False
    #: Where results computed from their inputs alone are kept between builds (`builder.cache`);
    #: None: nothing is kept, everything is computed.
    cache_dir: Path | None = None
    #: A warning fails the build (`StrictError`) before anything is written: for a course's CI.
    strict: bool = False
    #: Ask every web address the pages link to whether it still answers (`check --links`,
    #: builder/linkcheck.py): a broken one is a warning.
    check_links: bool = False


#: Query parameters that carry a credential (`auth=Basic …`, OAuth tokens, API keys).
CREDENTIAL_PARAMS = re.compile(
    r"auth|authorization|token|access_token|id_token|password|passwd|pwd|secret|"
    r"client_secret|key|api_key|apikey|signature|sig",
    re.IGNORECASE,
)


def shown_url(value: str) -> str:
    """`value` as an error may show it: no user or password, no value of its query or fragment
    (under any name, one may be a credential): `https://…@lrs.example/x?tenant=…`."""
    value = re.sub(r"^([^:/?#]*:?//)[^/?#]*@", r"\1…@", value)
    cut = re.search(r"[?#]", value)
    if cut is None:
        return value
    shown = []
    for i, part in enumerate(re.split(r"([?#&;])", value[cut.start() :])):
        if i % 2 or not part:  # a separator, or nothing between two
            shown.append(part)
        else:
            shown.append(part.partition("=")[0] + "=…" if "=" in part else "…")
    return value[: cut.start()] + "".join(shown)


#: What to do instead of a credential in a build's URL.
AT_LAUNCH = "pass credentials at launch (see --embed-lrs-credential-from-env)"


def _credential(option: str, value: str, advice: str) -> None:
    """A `UsageError` if `value` carries a user, a password or a credential parameter."""
    netloc = re.match(r"^[^:/?#]*:?//([^/?#]*)", value)
    if netloc is not None and "@" in netloc.group(1):
        raise UsageError(f"{option}: the URL must not carry a user name or password; {advice}")
    before, _, fragment = value.partition("#")
    query = before.partition("?")[2]
    for where, text in (("query string", query), ("fragment", fragment)):
        for key, _ in parse_qsl(text, keep_blank_values=True):
            if CREDENTIAL_PARAMS.fullmatch(key):  # the value itself is never echoed
                raise UsageError(
                    f"{option}: expected a URL without a credential, found '{key}=' in its "
                    f"{where}; {advice}"
                )


def _http_url(option: str, value: str, advice: str = AT_LAUNCH) -> str:
    """`value` if it is an absolute http(s) URL without a credential, else a `UsageError`.

    A credential in the URL would be in every package without the explicit flag; it is looked
    for first, and no error shows it (`shown_url`).
    """
    _credential(option, value, advice)
    try:
        parts = urlsplit(value)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # an invalid port or IPv6 address
        ok = False
    if not ok or not re.match(IRI, value):
        raise UsageError(f"{option}: expected an http(s) URL, found {shown_url(value)!r}")
    return value


def lrs_endpoint(option: str, value: str, advice: str = AT_LAUNCH) -> str:
    """`value` as an xAPI endpoint ending in '/': an http(s) URL without a credential, a query
    string or a fragment (resources are appended to it, xAPI-Communication.md §1.1)."""
    endpoint = _http_url(option, value, advice)
    if "?" in endpoint or "#" in endpoint:
        raise UsageError(
            f"{option}: expected an endpoint without a query string or fragment (resources "
            f"such as 'statements' are appended to it), found {shown_url(endpoint)!r}"
        )
    return endpoint if endpoint.endswith("/") else endpoint + "/"


def _authorization(name: str, secret: str) -> str:
    """The Authorization value for `secret`: `key:secret` is Basic-encoded, `Basic …` kept."""
    if secret.startswith("Basic "):
        try:
            decoded = base64.b64decode(secret[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        if ":" in decoded:
            return "Basic " + secret[6:].strip()
    elif ":" in secret:
        return "Basic " + base64.b64encode(secret.encode("utf-8")).decode("ascii")
    # The value itself is never echoed: it is a secret.
    raise UsageError(f"${name}: expected 'key:secret' or 'Basic <base64 of key:secret>'")


def lrs_config(
    endpoint: str | None,
    actor_homepage: str | None,
    credential_env: str | None,
    environ: Mapping[str, str],
) -> LrsConfig | None:
    """Turn the `build` command's LRS options into an `LrsConfig` (None without an endpoint)."""
    if endpoint is None:
        for option, value in (
            ("--actor-homepage", actor_homepage),
            ("--embed-lrs-credential-from-env", credential_env),
        ):
            if value is not None:
                raise UsageError(f"{option} needs --lrs-endpoint")
        return None
    if actor_homepage is None:
        raise UsageError("--lrs-endpoint needs --actor-homepage (the LMS's account homePage)")
    # The runtime appends resources to it, and a launch endpoint with a query is refused.
    endpoint = lrs_endpoint("--lrs-endpoint", endpoint)
    homepage = _http_url("--actor-homepage", actor_homepage)
    if credential_env is None:
        return LrsConfig(endpoint, homepage)
    secret = environ.get(credential_env, "")
    if not secret.strip():
        raise UsageError(
            f"--embed-lrs-credential-from-env: environment variable {credential_env} "
            "is not set or empty"
        )
    auth = _authorization(credential_env, secret.strip())
    log.warning("warning: embedding the LRS credential from $%s: %s", credential_env, EMBED_WARNING)
    return LrsConfig(endpoint, homepage, embed_credential=True, credential=auth)
