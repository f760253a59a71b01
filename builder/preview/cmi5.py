"""cmi5 in the preview: each AU launched by the LMS-side launcher (`builder.launcher`).

Per cmi5 package (by its key, `Package.key`: the course and its follow-up unit are two packages
of one target, each imported as a course of its own) one `Launcher` serves on a free port of
127.0.0.1 from the first launch until the preview stops (`Session.closers`). Its LRS is the
preview's store (`Session.lrs_endpoint`), so the AU's statements, which the launcher checks and
forwards with its own credentials, and the launcher's own (`launched`, `satisfied`, `abandoned`)
show in the panel, and the store's faults act on both. A rebuild hands the same launcher the new
zip: its registrations, sessions and state documents carry over, so a relaunch resumes.

The page does not launch from `/api/state` (which it polls: a launch writes `launched`); it opens
`/cmi5/launch?package=K&au=ID`, which starts a session and redirects the frame to the launcher's
launch URL. The preview learner has one launcher registration per preview registration: Reset
(a new preview registration) starts a new one.
"""

from __future__ import annotations

import logging
import threading
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

from builder.errors import BuilderError
from builder.launcher import Launcher, LrsAccount
from builder.launcher.package import open_package
from builder.preview.launchers import Launch, Package, RouteAnswer, Session, Unit

log = logging.getLogger("coursepack")

#: The preview server's route that starts a launch (GET, the player frame opens it).
ROUTE = "/cmi5/launch"


class Cmi5Launches:
    """The launchers of one preview session, by package key, and the learner's registrations."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.lock = threading.Lock()
        #: The newest package seen per package key (what `/api/state` listed last).
        self.packages: dict[str, Package] = {}
        self.launchers: dict[str, Launcher] = {}
        #: The zip each launcher serves now, by package key.
        self.zips: dict[str, str] = {}
        #: Launcher registrations by (package key, preview registration).
        self.registrations: dict[tuple[str, str], str] = {}
        self.servers = ExitStack()
        session.routes[ROUTE] = self.route
        session.closers.append(self.close)

    def launch(self, package: Package) -> Launch:
        """The page's launch of `package`: one unit per AU, the first as the default."""
        with self.lock:
            self.packages[package.key] = package
            try:
                launcher = self._launcher(package)
            except BuilderError:  # the route answers why, when the page launches it
                return Launch("none", f"{ROUTE}?{urlencode({'package': package.key})}")
        units = tuple(
            Unit(au.title or au.id, f"{ROUTE}?{urlencode({'package': package.key, 'au': au.id})}")
            for au in launcher.course.aus()
        )
        return Launch("none", units[0].url, units)

    def _launcher(self, package: Package) -> Launcher:
        """The package's launcher, serving, with `package`'s zip (lock held)."""
        launcher = self.launchers.get(package.key)
        if launcher is None:
            account = LrsAccount(self.session.lrs_endpoint, "preview", "preview")
            launcher = Launcher(Path(package.zip_path), account, homepage=self.session.base_url)
            self.servers.enter_context(launcher.serve("127.0.0.1", 0))
            self.launchers[package.key] = launcher
            self.zips[package.key] = package.zip_path
            log.info("preview: the cmi5 launcher of %s at %s", package.key, launcher.base_url)
        elif self.zips[package.key] != package.zip_path:
            rebuilt = open_package(Path(package.zip_path))
            with launcher.lock:  # a rebuild: the new files, the learner's records kept
                launcher.package, launcher.course = rebuilt, rebuilt.structure
            self.zips[package.key] = package.zip_path
        return launcher

    def route(self, method: str, query: dict[str, list[str]], body: bytes) -> RouteAnswer:
        """GET `?package=K&au=ID`: a new session of the AU; 303 to the launcher's launch URL."""
        if method != "GET":
            return 405, "text/plain", b"GET the launch URL", {"Allow": "GET"}
        name = (query.get("package") or [""])[0]
        au = (query.get("au") or [""])[0]
        with self.lock:
            package = self.packages.get(name)
            if package is None:
                return 404, "text/plain", f"no cmi5 package {name!r}".encode(), {}
            try:
                launcher = self._launcher(package)
                key = (name, self.session.registration)
                if key not in self.registrations:
                    self.registrations[key] = launcher.register(
                        self.session.learner, name="Preview learner"
                    )
            except BuilderError as exc:
                return 400, "text/plain; charset=utf-8", str(exc).encode(), {}
        try:  # not under the lock: writing `launched` waits for the store (LRS slow: 4 s)
            url = launcher.launch_url(au, self.registrations[key], "Normal")
        except BuilderError as exc:
            return 400, "text/plain; charset=utf-8", str(exc).encode(), {}
        for status, answer in launcher.failures:
            log.warning("preview: the store refused the launcher's statements (%d): %s",
                        status, answer)  # fmt: skip
        launcher.failures.clear()
        return 303, "text/plain", b"", {"Location": url}

    def close(self) -> None:
        """Stop every launcher's server."""
        self.servers.close()


def cmi5_launch(package: Package, session: Session) -> Launch:
    """The `Launch` of a cmi5 package: through the session's `Cmi5Launches` (made once)."""
    route = session.routes.get(ROUTE)
    launches = getattr(route, "__self__", None)
    if not isinstance(launches, Cmi5Launches):
        launches = Cmi5Launches(session)
    return launches.launch(package)
