"""How the preview launches a package of each standard: one launcher per standard, registered.

A launcher turns a built package into what the preview page needs to start it: which LMS-side
host the page provides (`scorm12`, `scorm2004`: scorm-again in the page, found by the package
through `window.parent`; `none`: the page only opens the URL) and the URL the player frame opens,
with whatever launch parameters the standard passes. A standard without a launcher is listed
but cannot be launched. cmi5 registers its own launcher here (`register_launcher("cmi5", …)`),
built on its LMS-side launcher (`builder.launcher`): it can import `Package.zip_path`, send
statements to `Session.lrs_endpoint` (the preview's store, so the panel shows them), add routes to
`Session.routes` or start its own server and stop it from `Session.closers`.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode

#: A route a launcher adds to the preview server: (method, query, body) -> (status, type, body).
Route = Callable[[str, dict[str, list[str]], bytes], tuple[int, str, bytes]]


@dataclass(frozen=True, slots=True)
class Package:
    """One built package as the preview serves it."""

    target: str
    standard: str
    title: str
    #: Site path of the package's launch page (`/pkg/<generation>/<target>/index.html`).
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
class Launch:
    """What the preview page does to start a package."""

    host: str
    url: str


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


#: Launchers by standard (`Target.standard`).
LAUNCHERS: dict[str, Launcher] = {
    "scorm12": scorm12,
    "scorm2004": scorm2004,
    "xapi": xapi,
    "web": web,
}


def register_launcher(standard: str, launcher: Launcher) -> None:
    """Launch packages of `standard` with `launcher` from now on (or replace its launcher)."""
    LAUNCHERS[standard] = launcher
