"""The cmi5 launcher (builder/launcher) against a real LRS (Ralph): the LMS's half of cmi5 by HTTP.

The AU's side is played by hand here (urllib requests shaped as the spec says); the real AU in
Chromium is tests/browser/test_cmi5_run.py. Every statement in the LRS at the end passes the cmi5
rule checker for the LMS's verbs: launched before each session, satisfied once per block and
course, abandoned for a session left open.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from lrs import PASSWORD, USERNAME, Lrs

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from cmi5_rules import lms_problems

from builder.build import build
from builder.config import BuildConfig
from builder.errors import PackageError, UsageError
from builder.launcher import Launcher, LrsAccount

REPO = Path(__file__).resolve().parents[2]
FULL = REPO / "tests" / "fixtures" / "courses" / "full"
CMI5 = "https://w3id.org/xapi/cmi5/"
SESSION = CMI5 + "context/extensions/sessionid"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cmi5")
    config = BuildConfig(source_dir=FULL, out_dir=out, targets=("cmi5",), units="module")
    [built] = build(config)
    return built.path


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def launcher(package: Path, lrs: Lrs) -> Iterator[tuple[Launcher, Clock]]:
    clock = Clock()
    account = LrsAccount(lrs.endpoint, USERNAME, PASSWORD)
    launcher = Launcher(package, account, homepage="https://lms.example.org", clock=clock)
    with launcher.serve("127.0.0.1", 0):
        yield launcher, clock


def request(url: str, method: str = "GET", body: Any = None, auth: str = "") -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3"}
    if auth:
        headers["Authorization"] = auth
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            text = response.read()
            return response.status, json.loads(text) if text.strip()[:1] in (b"{", b"[") else text
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class Au:
    """The AU's side of one launch, by hand."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.url = url
        self.params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.auth = ""
        self.data: dict[str, Any] = {}

    def start(self) -> None:
        status, answer = request(self.params["fetch"], "POST")
        assert status == 200 and "auth-token" in answer, answer
        self.auth = f"Basic {answer['auth-token']}"
        query = urllib.parse.urlencode(
            {
                "stateId": "LMS.LaunchData",
                "activityId": self.params["activityId"],
                "agent": self.params["actor"],
                "registration": self.params["registration"],
            }
        )
        status, self.data = request(
            f"{self.params['endpoint']}activities/state?{query}", auth=self.auth
        )
        assert status == 200

    def statement(self, verb: str, result: dict[str, Any] | None = None) -> dict[str, Any]:
        context = json.loads(json.dumps(self.data["contextTemplate"]))
        context["registration"] = self.params["registration"]
        context.setdefault("contextActivities", {})["category"] = [
            {"id": CMI5 + "context/categories/cmi5"}
        ]
        statement = {
            "actor": json.loads(self.params["actor"]),
            "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
            "object": {"id": self.params["activityId"], "objectType": "Activity"},
            "context": context,
            "timestamp": datetime.now(UTC).isoformat(),
        }
        if result:
            statement["result"] = result
            context["contextActivities"]["category"].append(
                {"id": CMI5 + "context/categories/moveon"}
            )
        return statement

    def send(self, *statements: dict[str, Any]) -> int:
        status, _ = request(
            f"{self.params['endpoint']}statements", "POST", list(statements), self.auth
        )
        return status


def verbs(lrs: Lrs) -> list[str]:
    stored = sorted(lrs.statements(), key=lambda s: s["stored"])
    return [s["verb"]["id"].rsplit("/", 1)[-1] for s in stored]


def test_a_launch_serves_the_au_the_token_once_and_its_launch_data(
    launcher: tuple[Launcher, Clock], lrs: Lrs
) -> None:
    server, _ = launcher
    registration = server.register("learner-1", languages="en-GB,fr-FR")
    first = next(server.course.aus())
    au = Au(server.launch_url(first.id, registration, return_url="https://lms.example.org/done"))
    assert au.params["activityId"] != first.id  # §8.1.5
    status, page = request(au.url.split("?")[0])
    assert status == 200 and b"<html" in page.lower()
    au.start()
    assert au.data["launchMode"] == "Normal" and au.data["moveOn"] == first.move_on
    assert au.data["returnURL"] == "https://lms.example.org/done"
    assert au.data["contextTemplate"]["contextActivities"]["grouping"] == [
        {"objectType": "Activity", "id": first.id}
    ]
    # §8.2.3.1: the fetch URL is one-time; GET is refused.
    assert request(au.params["fetch"], "POST")[1]["error-code"] == "1"
    assert request(au.params["fetch"])[0] == 405
    profile = f"{au.params['endpoint']}agents/profile?profileId=cmi5LearnerPreferences"
    assert request(profile, auth=au.auth) == (200, {"languagePreference": "en-GB,fr-FR"})
    assert request(profile, auth="Basic not-the-token")[0] == 401
    assert au.send(au.statement("initialized")) == 200
    # An AU may not write the LMS's verbs, nor about another learner.
    bad = au.statement("completed", {"completion": True, "duration": "PT1S"})
    bad["verb"]["id"] = "https://w3id.org/xapi/adl/verbs/satisfied"
    assert au.send(bad) == 400
    voiding = au.statement("initialized")
    voiding["verb"]["id"] = "http://adlnet.gov/expapi/verbs/voided"
    assert au.send(voiding) == 400  # §6.3: no voiding by the AU
    assert verbs(lrs) == ["launched", "initialized"]
    launched = next(s for s in lrs.statements() if s["verb"]["id"].endswith("launched"))
    extensions = launched["context"]["extensions"]
    assert extensions[CMI5 + "context/extensions/launchmode"] == "Normal"
    assert extensions[CMI5 + "context/extensions/moveon"] == first.move_on
    assert extensions[SESSION] == au.data["contextTemplate"]["extensions"][SESSION]


def test_satisfied_when_every_au_meets_moveon_and_abandoned_for_open_sessions(
    launcher: tuple[Launcher, Clock], lrs: Lrs
) -> None:
    server, clock = launcher
    registration = server.register("learner-2")
    aus = list(server.course.aus())
    left_open = Au(server.launch_url(aus[0].id, registration))
    left_open.start()
    assert left_open.send(left_open.statement("initialized")) == 200
    for au_meta in aus:
        if au_meta.move_on == "NotApplicable":
            continue
        au = Au(server.launch_url(au_meta.id, registration))
        au.start()
        judged = {"success": True, "duration": "PT1M", "score": {"scaled": 1.0}}
        sent = [au.statement("initialized")]
        if "Passed" in au_meta.move_on:
            passed = au.statement("passed", judged)
            passed["context"]["extensions"][CMI5 + "context/extensions/masteryscore"] = (
                au_meta.mastery_score
            )
            sent.append(passed)
        sent += [
            au.statement("completed", {"completion": True, "duration": "PT1M"}),
            au.statement("terminated", None),
        ]
        sent[-1]["result"] = {"duration": "PT2M"}
        assert au.send(*sent) == 200
    said = verbs(lrs)
    # The first session of AU 1 was left open when AU 1 was launched again (§9.3.6).
    assert said.count("abandoned") == 1
    assert said.count("satisfied") == 1 and said[-1] == "satisfied"
    assert left_open.send(left_open.statement("terminated")) == 403
    # A session silent past the timeout is abandoned by the sweep.
    again = Au(server.launch_url(aus[0].id, registration))
    again.start()
    clock.now += timedelta(hours=1)
    server.sweep()
    assert verbs(lrs).count("abandoned") == 2
    assert server.failures == []
    # The launcher's statements follow the LMS's rules (tests/cmi5_rules.py).
    publisher = [server.course.id, *(a.id for a in aus)]
    assert lms_problems(lrs.statements(), publisher) == []


def test_a_package_that_is_not_cmi5_is_refused_with_a_clear_error(tmp_path: Path, lrs: Lrs) -> None:
    bad = tmp_path / "course.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("index.html", "<!doctype html>")
    with pytest.raises(PackageError, match="no manifest"):
        Launcher(bad, LrsAccount(lrs.endpoint, USERNAME, PASSWORD))
    with pytest.raises(PackageError, match="expected a cmi5 zip file, found nothing"):
        Launcher(tmp_path / "missing.zip", LrsAccount(lrs.endpoint, USERNAME, PASSWORD))


def test_launching_needs_a_served_launcher_a_known_au_and_a_registration(
    package: Path, lrs: Lrs
) -> None:
    launcher = Launcher(package, LrsAccount(lrs.endpoint, USERNAME, PASSWORD))
    au = next(launcher.course.aus())
    with pytest.raises(UsageError, match="not serving"):
        launcher.launch_url(au.id, "x")
    with launcher.serve():
        with pytest.raises(UsageError, match="AU 'nope': expected one of"):
            launcher.launch_url("nope", "x")
        with pytest.raises(UsageError, match="not registered"):
            launcher.launch_url(au.id, "x")
        with pytest.raises(UsageError, match="launch mode"):
            launcher.launch_url(au.id, launcher.register("l"), "Fast")
