"""How the preview launches a package of each standard: one launcher per standard, registered.

A launcher turns a built package into what the preview page needs to start it: which LMS-side
host the page provides (`scorm12`, `scorm2004`: scorm-again in the page, found by the package
through `window.parent`; `none`: the page only opens the URL) and the URL the player frame opens,
with whatever launch parameters the standard passes. A standard without a launcher is listed
but cannot be launched. cmi5 launches through its LMS-side launcher (`builder.launcher`, see
`cmi5.py`): it imports `Package.zip_path`, sends statements to `Session.lrs_endpoint` (the
preview's store, so the panel shows them), adds its launch route to `Session.routes`, starts its
own server and stops it from `Session.closers`. A package with several launchable units (cmi5
AUs of a `--units module` build) lists each in `Launch.units`.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode

#: A route's answer: status, content type, body and extra headers (a redirect's Location).
RouteAnswer = tuple[int, str, bytes, dict[str, str]]
#: A route a launcher adds to the preview server: (method, query, body) -> its answer.
Route = Callable[[str, dict[str, list[str]], bytes], RouteAnswer]


@dataclass(frozen=True, slots=True)
class Package:
    """One built package as the preview serves it."""

    target: str
    standard: str
    title: str
    #: Site path of the package's launch page (`/pkg/<generation>/<key>/index.html`).
    launch: str
    #: The target's limits (`builder.targets.Limits`): suspend data characters, commit bytes.
    suspend_limit: int | None
    commit_limit: int | None
    #: The course IRI (the xAPI activity id).
    course_iri: str
    #: The mastery score (0-100) the LMS reads from the manifest and hands to the SCO.
    mastery: float | None = None
    #: The built zip on disk, for launchers that import the package (cmi5's launcher does).
    zip_path: str = ""
    #: The part of the course it holds (`follow-up`, a module of `--split modules`), or "".
    part: str = ""

    @property
    def key(self) -> str:
        """The package's own key in the preview (its folder): `<target>` or `<target>-<part>`.

        A course and its follow-up (or a split's modules) share a target, so what the preview
        keeps per package (learner state, commits, a cmi5 launcher) is keyed on this, never on
        the target alone.
        """
        return f"{self.target}-{self.part}" if self.part else self.target


@dataclass
class Session:
    """The learner and the endpoints of one preview: what launch parameters carry."""

    base_url: str
    registration: str
    #: Where packages send statements: the preview's own store (or its proxy to `--lrs`).
    lrs_endpoint: str
    learner: str = "preview-learner"
    #: Extra server routes by path, added by launchers (a cmi5 fetch URL, say).
    routes: dict[str, Route] = field(default_factory=dict)
    #: Called once when the preview stops: a launcher that started a server of its own stops it.
    closers: list[Callable[[], None]] = field(default_factory=list)

    @property
    def actor(self) -> dict[str, Any]:
        """The xAPI Agent of the preview learner (an account, never an e-mail)."""
        return {
            "objectType": "Agent",
            "name": "Preview learner",
            "account": {"homePage": self.base_url, "name": self.learner},
        }

    @property
    def auth(self) -> str:
        """The Authorization value handed to packages; the store accepts any (local only)."""
        return "Basic " + base64.b64encode(b"preview:preview").decode("ascii")


@dataclass(frozen=True, slots=True)
class Unit:
    """One launchable unit of a package (a cmi5 AU): its title and the URL that launches it."""

    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Launch:
    """What the preview page does to start a package."""

    host: str
    #: The URL the player frame opens (the first unit's, when there are units).
    url: str
    #: Each launchable unit, when the page offers a choice (empty: the package is one).
    units: tuple[Unit, ...] = ()


class Launcher(Protocol):
    """Makes the `Launch` of `package` for the learner of `session`."""

    def __call__(self, package: Package, session: Session) -> Launch: ...


def scorm12(package: Package, session: Session) -> Launch:
    """SCORM 1.2: scorm-again's `window.API` in the page; the SCO opens as it is."""
    return Launch("scorm12", package.launch)


def scorm2004(package: Package, session: Session) -> Launch:
    """SCORM 2004: scorm-again's `window.API_1484_11` in the page."""
    return Launch("scorm2004", package.launch)


def xapi(package: Package, session: Session) -> Launch:
    """An xAPI (Tin Can) launch: endpoint, auth, actor, registration and activity_id."""
    params = {
        "endpoint": session.lrs_endpoint,
        "auth": session.auth,
        "actor": json.dumps(session.actor, separators=(",", ":")),
        "registration": session.registration,
        "activity_id": package.course_iri,
    }
    return Launch("none", f"{package.launch}?{urlencode(params)}")


def web(package: Package, session: Session) -> Launch:
    """Plain web: the page as a web server would serve it; progress stays in the browser."""
    return Launch("none", package.launch)


def cmi5(package: Package, session: Session) -> Launch:
    """cmi5: each AU through the LMS-side launcher on its own port (`builder.preview.cmi5`)."""
    from builder.preview.cmi5 import cmi5_launch

    return cmi5_launch(package, session)


#: Launchers by standard (`Target.standard`).
LAUNCHERS: dict[str, Launcher] = {
    "scorm12": scorm12,
    "scorm2004": scorm2004,
    "xapi": xapi,
    "cmi5": cmi5,
    "web": web,
}


def register_launcher(standard: str, launcher: Launcher) -> None:
    """Launch packages of `standard` with `launcher` from now on (or replace its launcher)."""
    LAUNCHERS[standard] = launcher
