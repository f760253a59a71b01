"""The preview's parts without a browser: the statement store, the launchers, and the server's
answers to packages (commits, statements, faults). Where scorm-again comes from:
tests/test_preview_vendor.py; its builds and watcher: tests/test_preview_builds.py."""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from builder.config import BuildConfig
from builder.preview import server as server_module
from builder.preview.builds import Builds
from builder.preview.launchers import LAUNCHERS, Launch, Package, Session, register_launcher
from builder.preview.server import Preview, PreviewServer
from builder.preview.store import Store, warnings_of

REPO = Path(__file__).resolve().parents[1]
MINIMAL = REPO / "tests" / "fixtures" / "courses" / "minimal"


def _statement(verb: str = "initialized") -> dict[str, Any]:
    return {
        "actor": {"objectType": "Agent", "account": {"homePage": "https://x.org", "name": "a"}},
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
        "object": {"objectType": "Activity", "id": "https://example.org/c"},
    }


def test_the_store_keeps_each_id_once_and_warns_about_the_profile() -> None:
    store = Store()
    status, ids = store.add([{**_statement(), "id": "a"}, {**_statement("bogus"), "id": "b"}])
    assert (status, ids) == (200, ["a", "b"])
    assert store.add([{**_statement(), "id": "a"}]) == (200, ["a"])
    assert [r["statement"]["id"] for r in store.since(0)] == ["a", "b"]
    assert store.since(1)[0]["warnings"] == [warnings_of(_statement("bogus"))[0]]
    assert warnings_of(_statement("bogus"))[0].startswith("matches 0 templates")
    assert warnings_of({"verb": {}}) == ["missing actor", "missing object"]
    assert store.add([_statement()], statement_id="c")[0] == 204
    assert store.get("c") is not None and store.get("zzz") is None
    assert store.add([{**_statement("completed"), "id": "a"}]) == (
        409, ["another statement has the id a"])  # fmt: skip
    assert store.add([{**_statement(), "id": "x"}, {**_statement(), "id": "x"}]) == (
        400, ["a batch names the same statement id twice"])  # fmt: skip
    assert store.add([{**_statement(), "id": "d"}], statement_id="e") == (
        400, ["statementId differs from the statement's id"])  # fmt: skip


def test_a_launcher_registered_for_a_standard_is_used_for_its_packages() -> None:
    session = Session("http://127.0.0.1:1", "reg-1", "http://127.0.0.1:1/xapi/")
    package = Package("xapi", "xapi", "xAPI", "/pkg/1/xapi/index.html", None, None, "https://c.org")
    launch = LAUNCHERS["xapi"](package, session)
    assert launch.host == "none"
    assert "endpoint=http%3A%2F%2F127.0.0.1%3A1%2Fxapi%2F" in launch.url
    assert "registration=reg-1" in launch.url and "activity_id=https%3A%2F%2Fc.org" in launch.url
    own = LAUNCHERS["cmi5"]
    register_launcher("cmi5", lambda p, s: Launch("none", p.launch + "?fetch=x"))
    try:
        cmi5 = Package("cmi5", "cmi5", "cmi5", "/pkg/1/cmi5/index.html", None, None, "https://c")
        assert LAUNCHERS["cmi5"](cmi5, session).url == "/pkg/1/cmi5/index.html?fetch=x"
    finally:
        register_launcher("cmi5", own)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Preview]]:
    """The preview server on a free port, the minimal course built for scorm12 and xapi."""
    config = BuildConfig(source_dir=MINIMAL, targets=("scorm12", "xapi"))
    with serving(Builds(config, tmp_path)) as running:
        yield running


@contextmanager
def serving(builds: Builds) -> Iterator[tuple[str, Preview]]:
    """`builds` built and served by a preview server on a free port; stopped as Ctrl-C does."""
    assert builds.rebuild()
    session = Session("", "reg-1", "")
    preview = Preview(builds, Store(), session, None, None, None)
    running = PreviewServer(0, preview)
    url = f"http://127.0.0.1:{running.server_address[1]}"
    session.base_url, session.lrs_endpoint = url, f"{url}/xapi/"
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    try:
        yield url, preview
    finally:
        running.shutdown()
        running.server_close()
        thread.join(timeout=5)
        for close in session.closers:
            close()


def _call(url: str, body: Any = None, method: str | None = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, json.loads(exc.read() or b"null")


def test_the_server_takes_commits_and_statements_and_the_faults_break_them(
    server: tuple[str, Preview],
) -> None:
    url, preview = server
    commit = f"{url}/lms/commit?package=scorm12&registration=reg-1"
    assert _call(commit, {"cmi": {"suspend_data": "s"}})[0] == 200
    assert _call(f"{url}/api/learner?package=scorm12") == (200, {"cmi": {"suspend_data": "s"}})
    assert _call(f"{url}/api/fault", {"name": "commit-fails", "on": True})[0] == 200
    assert _call(commit, {"cmi": {}}) == (
        500, {"result": False, "errorCode": 101})  # fmt: skip
    assert _call(f"{url}/api/learner?package=scorm12")[1]["cmi"] == {"suspend_data": "s"}
    assert _call(f"{url}/xapi/statements", [_statement()])[0] == 200
    assert _call(f"{url}/api/fault", {"name": "lrs-down", "on": True})[0] == 200
    assert _call(f"{url}/xapi/statements", [_statement()])[0] == 503
    assert _call(f"{url}/api/fault", {"name": "no-such", "on": True})[0] == 400
    _call(f"{url}/api/fault", {"name": "lrs-down", "on": False})
    assert _call(f"{url}/api/fault", {"name": "offline", "on": True})[0] == 200
    connection = http.client.HTTPConnection(url.removeprefix("http://"), timeout=5)
    try:
        connection.request("GET", "/xapi/statements")
        with pytest.raises(http.client.RemoteDisconnected):
            connection.getresponse()  # no answer at all, as offline
    finally:
        connection.close()
    status, state = _call(f"{url}/api/state?since=0")
    assert status == 200
    assert state["faults"] == ["commit-fails", "offline"]
    assert [p["target"] for p in state["packages"]] == ["scorm12", "xapi"]
    assert state["packages"][0]["launchWith"] == {
        "host": "scorm12",
        "url": "/pkg/1/scorm12/index.html",
        "units": [],
    }
    assert len(state["statements"]) == 1
    assert _call(f"{url}/api/reset", {"package": "scorm12"})[0] == 200
    assert _call(f"{url}/api/learner?package=scorm12") == (200, {"cmi": None})
    assert preview.session.registration != "reg-1"
    _call(f"{url}/api/fault", {"name": "commit-fails", "on": False})
    _call(f"{url}/api/fault", {"name": "offline", "on": False})
    assert _call(commit, {"cmi": {"suspend_data": "late"}})[0] == 200  # the old attempt's
    assert _call(f"{url}/api/learner?package=scorm12") == (200, {"cmi": None})


def test_the_server_refuses_writes_from_other_sites(server: tuple[str, Preview]) -> None:
    url, preview = server
    request = urllib.request.Request(
        f"{url}/api/fault", data=b'{"name": "lrs-down", "on": true}', method="POST",
        headers={"Origin": "https://elsewhere.example", "Content-Type": "application/json"},
    )  # fmt: skip
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=5)
    with info.value:
        assert info.value.code == 403
    assert preview.store.faults == set()


def test_a_standard_without_a_launcher_is_listed_but_not_launchable(
    server: tuple[str, Preview],
) -> None:
    _, preview = server
    odd = Package(
        "odd", "no-such-standard", "Odd", "/pkg/1/odd/index.html", None, None, "https://c"
    )
    preview.builds.packages = [*preview.builds.packages, odd]
    listed = {p["target"]: p["launchWith"] for p in preview.state(0)["packages"]}
    assert listed["odd"] is None and listed["scorm12"] is not None


def test_the_server_serves_packages_and_nothing_outside_them(server: tuple[str, Preview]) -> None:
    url, _ = server
    with urllib.request.urlopen(f"{url}/pkg/1/scorm12/imsmanifest.xml", timeout=5) as response:
        assert b"<manifest" in response.read()
    for path in ("/pkg/../../etc/passwd", "/pkg/1/scorm12/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                 "/preview/../__init__.py"):  # fmt: skip
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(url + path, timeout=5)
        with info.value:
            assert info.value.code == 404, path


def test_odd_paths_and_queries_get_an_answer_not_a_traceback(
    server: tuple[str, Preview], capfd: pytest.CaptureFixture[str]
) -> None:
    # A NUL byte, a name too long for the file system, a number that is not one: each was an
    # exception in the handler (a traceback in the terminal, the connection dropped unanswered).
    url, _ = server
    cases = {
        "/pkg/%00": 404,
        "/pkg/1/scorm12/a%00b.js": 404,
        "/pkg/" + "a" * 5000: 404,
        "/pkg/" + "a/" * 3000: 404,
        "/preview/%00": 404,
        "/api/state?since=abc": 400,
        "/api/state?since=" + "9" * 5000: 400,
    }
    for path, code in cases.items():
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(url + path, timeout=5)
        with info.value:
            assert info.value.code == code, path[:40]
    # Writes whose body is not the JSON object expected, or whose length is not a number.
    posts = [
        ("/api/fault", b"not json", {}),
        ("/api/fault", b"[1]", {}),
        ("/api/reset", b"\xff", {}),
        ("/api/reset", b"{}", {"Content-Length": "x"}),
    ]
    for path, body, headers in posts:
        request = urllib.request.Request(url + path, body, headers, method="POST")
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(request, timeout=5)
        with info.value:
            assert info.value.code == 400, (path, body)
    assert "Traceback" not in capfd.readouterr().err


def test_the_store_refuses_statements_of_the_wrong_shape_as_an_lrs_does(
    server: tuple[str, Preview], capfd: pytest.CaptureFixture[str]
) -> None:
    # Each was an exception in the handler (a traceback, the connection dropped unanswered).
    url, preview = server
    bodies = {
        b'[{"actor": {}, "verb": "x", "object": {}}]': "verb: expected a JSON object",
        b'[{"actor": {}, "verb": {}, "object": [], "context": 5}]': (
            "object: expected a JSON object"
        ),
        b'{"actor": {}, "verb": {"id": "x"}, "object": {}, "context": {"contextActivities": 1}}': (
            "context.contextActivities: expected a JSON object"
        ),
        b"[" * 100_000: "expected JSON statements",
    }
    for body, error in bodies.items():
        request = urllib.request.Request(f"{url}/xapi/statements", body, method="POST")
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(request, timeout=5)
        with info.value:
            assert (info.value.code, json.loads(info.value.read())["error"]) == (400, error)
    assert preview.store.since(0) == []
    assert "Traceback" not in capfd.readouterr().err


def test_a_link_in_the_served_folder_to_outside_it_is_not_followed(
    server: tuple[str, Preview], tmp_path_factory: pytest.TempPathFactory
) -> None:
    url, preview = server
    outside = tmp_path_factory.mktemp("outside") / "secret.txt"
    outside.write_text("not-a-secret-test-only")
    (preview.builds.root / "1" / "scorm12" / "link.txt").symlink_to(outside)
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(f"{url}/pkg/1/scorm12/link.txt", timeout=5)
    with info.value:
        assert info.value.code == 404


def test_lrs_slow_delays_the_answer_and_keeps_the_statement(
    server: tuple[str, Preview], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server_module, "SLOW_SECONDS", 0.5)
    url, preview = server
    _call(f"{url}/api/fault", {"name": "lrs-slow", "on": True})
    started = time.monotonic()
    assert _call(f"{url}/xapi/statements", [{**_statement(), "id": "slow"}]) == (200, ["slow"])
    assert time.monotonic() - started >= 0.5
    assert preview.store.get("slow") is not None


def test_a_course_and_its_follow_up_of_one_target_keep_their_own_learner_state(
    tmp_path: Path,
) -> None:
    """The real course for scorm12: the course and its follow-up are two packages of one target,
    each with its key, its folder and its own committed CMI; Reset of one forgets only its own."""
    config = BuildConfig(source_dir=REPO / "modules", targets=("scorm12",))
    with serving(Builds(config, tmp_path)) as (url, preview):
        listed = preview.state(0)["packages"]
        assert [(p["target"], p["key"]) for p in listed] == [
            ("scorm12", "scorm12"),
            ("scorm12", "scorm12-follow-up"),
        ]
        assert listed[1]["launchWith"]["url"] == "/pkg/1/scorm12-follow-up/index.html"
        for key in ("scorm12", "scorm12-follow-up"):
            commit = f"{url}/lms/commit?package={key}&registration=reg-1"
            assert _call(commit, {"cmi": {"suspend_data": key}})[0] == 200
        for key in ("scorm12", "scorm12-follow-up"):
            assert _call(f"{url}/api/learner?package={key}") == (
                200,
                {"cmi": {"suspend_data": key}},
            )
        assert _call(f"{url}/api/learner?package=scorm12-x") == (200, {"cmi": None})
        assert _call(f"{url}/api/reset", {"package": "scorm12-follow-up"})[0] == 200
        assert _call(f"{url}/api/learner?package=scorm12-follow-up") == (200, {"cmi": None})
        assert _call(f"{url}/api/learner?package=scorm12")[1]["cmi"] == {"suspend_data": "scorm12"}


def test_the_server_answers_its_own_address_only(server: tuple[str, Preview]) -> None:
    # A page elsewhere whose host name was pointed at 127.0.0.1 (DNS rebinding) reads nothing.
    url, preview = server
    port = url.rsplit(":", 1)[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        request = urllib.request.Request(f"{url}/api/state", headers={"Host": host})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
    for method, path in (
        ("GET", "/api/state"),
        ("POST", "/api/fault"),
        ("PUT", "/xapi/statements"),
    ):
        request = urllib.request.Request(
            url + path, method=method, headers={"Host": f"rebound.example:{port}"},
            data=None if method == "GET" else b'{"name": "lrs-down", "on": true}',
        )  # fmt: skip
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(request, timeout=5)
        with info.value:
            assert info.value.code == 403, (method, path)
            assert b"answers 127.0.0.1" in info.value.read()
    assert preview.store.faults == set()
