"""The preview's cmi5 launches without a browser: the launcher started by the preview, its launch
route, statements through it into the preview's store under the faults, and the store's PUT.

The AU's side is played by hand (urllib, shaped as cmi5 §8 says); the real AU in Chromium is
`tests/browser/test_preview_cmi5_browser.py`.
"""

from __future__ import annotations

import http.client
import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import pytest
from test_preview_parts import REPO, serving

from builder.config import BuildConfig
from builder.preview import server as server_module
from builder.preview.builds import Builds
from builder.preview.server import Preview

FULL = REPO / "tests" / "fixtures" / "courses" / "full"
CMI5 = "https://w3id.org/xapi/cmi5/"
SESSION_ID = CMI5 + "context/extensions/sessionid"


def call(url: str, method: str = "GET", body: Any = None, auth: str = "") -> tuple[int, Any]:
    """One request; its status and JSON answer (None when empty)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    request.add_header("X-Experience-API-Version", "1.0.3")
    if auth:
        request.add_header("Authorization", auth)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, json.loads(exc.read() or b"null")


def launch(url: str, path: str) -> str:
    """GET the preview's launch route (not following it); the launcher's launch URL."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=20)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        assert response.status == 303, response.status
        return str(response.getheader("Location"))
    finally:
        connection.close()


class Au:
    """The AU's side of one launch: fetch the token, read LMS.LaunchData, send statements."""

    def __init__(self, launch_url: str) -> None:
        self.params = {k: v[0] for k, v in parse_qs(urlsplit(launch_url).query).items()}
        status, answer = call(self.params["fetch"], "POST")
        assert status == 200, answer
        self.auth = f"Basic {answer['auth-token']}"
        query = urlencode({"stateId": "LMS.LaunchData", "activityId": self.params["activityId"],
                           "agent": self.params["actor"],
                           "registration": self.params["registration"]})  # fmt: skip
        state = f"{self.params['endpoint']}activities/state?{query}"
        status, self.data = call(state, auth=self.auth)
        assert status == 200

    def initialized(self) -> dict[str, Any]:
        """A cmi5 `initialized` of this session (§9.3.2)."""
        context = json.loads(json.dumps(self.data["contextTemplate"]))
        context["registration"] = self.params["registration"]
        context.setdefault("contextActivities", {})["category"] = [
            {"id": CMI5 + "context/categories/cmi5"}
        ]
        return {
            "id": str(uuid.uuid4()),
            "actor": json.loads(self.params["actor"]),
            "verb": {
                "id": "http://adlnet.gov/expapi/verbs/initialized",
                "display": {"en-US": "initialized"},
            },
            "object": {"id": self.params["activityId"], "objectType": "Activity"},
            "context": context,
        }

    def send(self, statement: dict[str, Any]) -> tuple[int, Any]:
        """POST `statement` to the launcher with the session's token."""
        return call(f"{self.params['endpoint']}statements", "POST", [statement], self.auth)


@pytest.fixture
def cmi5_server(tmp_path: Path) -> Iterator[tuple[str, Preview]]:
    """The preview serving the full course as cmi5 with one AU per module."""
    config = BuildConfig(source_dir=FULL, targets=("cmi5",), units="module")
    with serving(Builds(config, tmp_path)) as running:
        yield running


def fault(url: str, name: str, on: bool) -> None:
    assert call(f"{url}/api/fault", "POST", {"name": name, "on": on})[0] == 200


def test_a_cmi5_au_launches_through_the_launcher_into_the_preview_store(
    cmi5_server: tuple[str, Preview], caplog: pytest.LogCaptureFixture
) -> None:
    url, preview = cmi5_server
    [package] = preview.state(0)["packages"]
    units = package["launchWith"]["units"]
    assert [u["title"] for u in units] == ["Grundlagen — Übersicht", "Second module", "Your view"]
    assert package["launchWith"]["url"] == units[0]["url"]
    assert preview.store.since(0) == []  # listing launches nothing
    au = Au(launch(url, units[0]["url"]))
    # The launcher's `launched`, into the preview's store, as an LMS's statement: no warnings.
    [launched] = preview.store.since(0)
    assert launched["statement"]["verb"]["id"] == "http://adlnet.gov/expapi/verbs/launched"
    assert launched["warnings"] == []
    assert launched["statement"]["context"]["registration"] == au.params["registration"]
    # LRS down: the launcher's forward is refused; the AU gets the store's 503 (its outbox keeps
    # the statement and sends it again), and nothing is recorded.
    fault(url, "lrs-down", True)
    first = au.initialized()
    status, answer = au.send(first)
    assert status == 503 and "LRS down" in answer["error"]
    assert len(preview.store.since(0)) == 1
    fault(url, "lrs-down", False)
    assert au.send(first) == (200, [first["id"]])
    [_, received] = preview.store.since(0)
    assert received["statement"]["id"] == first["id"]
    # A launch while the store is down opens the AU; the launcher's `launched` is lost, said.
    fault(url, "lrs-down", True)
    with caplog.at_level(logging.WARNING, logger="coursepack"):
        Au(launch(url, units[1]["url"]))
    fault(url, "lrs-down", False)
    assert len(preview.store.since(0)) == 2
    assert "the store refused the launcher's statements (503)" in caplog.text
    # Another launch of the same preview learner: the same registration; Reset: a new one.
    again = Au(launch(url, units[0]["url"]))
    assert again.params["registration"] == au.params["registration"]
    assert call(f"{url}/api/reset", "POST", {"package": "cmi5"})[0] == 200
    fresh = Au(launch(url, units[1]["url"]))
    assert fresh.params["registration"] != au.params["registration"]
    assert all(r["warnings"] == [] for r in preview.store.since(0) if "launched" in str(r))


def test_a_refused_launch_route_says_why_and_the_launcher_stops_with_the_preview(
    tmp_path: Path,
) -> None:
    config = BuildConfig(source_dir=FULL, targets=("cmi5",), units="module")
    with serving(Builds(config, tmp_path)) as (url, preview):
        [package] = preview.state(0)["packages"]
        launched = launch(url, package["launchWith"]["url"])
        endpoint = launched.split("/content/")[0]
        with urllib.request.urlopen(f"{endpoint}/xapi/about", timeout=5) as response:
            assert response.status == 200
        for path, code in [
            ("/cmi5/launch?package=cmi5&au=https://example.org/no-such-au", 400),
            ("/cmi5/launch?package=nothing&au=x", 404),
        ]:
            with pytest.raises(urllib.error.HTTPError) as info:
                urllib.request.urlopen(url + path, timeout=5)
            with info.value:
                assert info.value.code == code
                assert b"no-such-au" in info.value.read() or code == 404
    with pytest.raises(urllib.error.URLError):  # the closers stopped the launcher's server
        urllib.request.urlopen(f"{endpoint}/xapi/about", timeout=5)


def test_the_store_takes_a_put_of_one_statement_under_its_statement_id(
    cmi5_server: tuple[str, Preview],
) -> None:
    """xAPI-Communication §2.1.1: PUT with `statementId` stores one statement; 204."""
    url, preview = cmi5_server
    statement = {
        "actor": {"objectType": "Agent", "account": {"homePage": url, "name": "p"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"objectType": "Activity", "id": "https://example.org/c"},
    }
    sid = str(uuid.uuid4())
    put = f"{url}/xapi/statements?statementId={sid}"
    assert call(put, "PUT", statement) == (204, None)
    assert call(put, "PUT", statement) == (204, None)  # the same again: nothing changes
    status, stored = call(put)
    assert status == 200 and stored["id"] == sid and "stored" in stored
    other = {**statement, "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"}}
    assert call(put, "PUT", other)[0] == 409
    assert call(f"{url}/xapi/statements", "PUT", statement)[0] == 400  # no statementId
    assert call(put, "PUT", {**statement, "id": str(uuid.uuid4())})[0] == 400
    assert [r["statement"]["id"] for r in preview.store.since(0)] == [sid]


def test_a_rebuild_keeps_the_launcher_and_lrs_slow_delays_the_au_but_keeps_its_statement(
    cmi5_server: tuple[str, Preview], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, preview = cmi5_server
    [package] = preview.state(0)["packages"]
    first = Au(launch(url, package["launchWith"]["url"]))
    assert preview.builds.rebuild()  # as an edit does
    [rebuilt] = preview.state(0)["packages"]
    assert rebuilt["zip_path"] != package["zip_path"]
    again = Au(launch(url, rebuilt["launchWith"]["url"]))
    # The same launcher (port) and learner: the new zip served, the registration kept.
    assert again.params["endpoint"] == first.params["endpoint"]
    assert again.params["registration"] == first.params["registration"]
    monkeypatch.setattr(server_module, "SLOW_SECONDS", 0.5)
    fault(url, "lrs-slow", True)
    statement = again.initialized()
    started = time.monotonic()
    assert again.send(statement) == (200, [statement["id"]])
    assert time.monotonic() - started >= 0.5
    assert preview.store.get(statement["id"]) is not None


def test_a_course_and_its_follow_up_of_one_target_each_get_their_own_launcher(
    tmp_path: Path,
) -> None:
    """The real course's cmi5 package and its follow-up package: two keys, two launchers (two
    LMS courses), two registrations; launching one never hands the other's zip to its launcher."""
    config = BuildConfig(source_dir=REPO / "modules", targets=("cmi5",))
    with serving(Builds(config, tmp_path)) as (url, preview):
        listed = {p["key"]: p for p in preview.state(0)["packages"]}
        assert sorted(listed) == ["cmi5", "cmi5-follow-up"]
        assert {p["target"] for p in listed.values()} == {"cmi5"}
        course_url = listed["cmi5"]["launchWith"]["url"]
        follow_url = listed["cmi5-follow-up"]["launchWith"]["url"]
        assert "package=cmi5-follow-up" in follow_url and "follow-up" in unquote(follow_url)
        course = Au(launch(url, course_url))
        follow = Au(launch(url, follow_url))
        again = Au(launch(url, course_url))  # the course's AU, after the follow-up's
        assert course.params["endpoint"] != follow.params["endpoint"]
        assert again.params["endpoint"] == course.params["endpoint"]
        assert again.params["registration"] == course.params["registration"]
        assert follow.params["registration"] != course.params["registration"]
        assert course.params["activityId"] != follow.params["activityId"]
        # Reset (from the follow-up): a new registration, for the follow-up's next launch.
        assert call(f"{url}/api/reset", "POST", {"package": "cmi5-follow-up"})[0] == 200
        fresh = Au(launch(url, follow_url))
        assert fresh.params["registration"] != follow.params["registration"]
        assert fresh.params["endpoint"] == follow.params["endpoint"]


def test_an_au_sending_statements_of_the_wrong_shape_gets_400_not_a_traceback(
    cmi5_server: tuple[str, Preview], capfd: pytest.CaptureFixture[str]
) -> None:
    # The AU holds its token: whatever it sends, each part may be any JSON type. Each of these
    # was an exception in the launcher (a 500 and a traceback on the terminal).
    url, preview = cmi5_server
    [package] = preview.state(0)["packages"]
    au = Au(launch(url, package["launchWith"]["units"][0]["url"]))
    good = au.initialized()
    shapes = [
        {**good, "context": []},
        {**good, "context": {**good["context"], "extensions": "x"}},
        {**good, "context": {**good["context"], "contextActivities": [1]}},
        {**good, "verb": "initialized"},
        {**good, "object": "x"},
    ]
    for statement in shapes:
        status, answer = au.send(statement)
        assert status == 400 and "not a JSON object" in answer["error"], statement
    deep = b"[" * 100_000
    request = urllib.request.Request(f"{au.params['endpoint']}statements", deep, method="POST")
    request.add_header("Authorization", au.auth)
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=20)
    with info.value:
        assert info.value.code == 400
    assert au.send(good)[0] == 200  # the session is still usable
    assert "Traceback" not in capfd.readouterr().err
