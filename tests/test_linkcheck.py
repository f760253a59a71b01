"""`coursepack check --links` against a real HTTP server on 127.0.0.1: what each answer is taken
for, redirects, a server that refuses HEAD, one that does not answer, and the command's output."""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from helpers import loopback_server
from test_cli import run

from builder.linkcheck import USER_AGENT, Answer, as_uri, ask, link_report, page_addresses
from builder.loader import load_course
from builder.markdown import parse_markdown

ROOT = Path(__file__).resolve().parents[1]
#: What the server was asked: (method, path, User-Agent, Cookie or Authorization sent).
ASKED: list[tuple[str, str, str, bool]] = []
LOCK = threading.Lock()


class Web(BaseHTTPRequestHandler):
    """A few pages, each answering as some real site does."""

    def answer(self, method: str) -> None:
        with LOCK:
            sent = bool(self.headers.get("Cookie") or self.headers.get("Authorization"))
            ASKED.append((method, self.path, self.headers.get("User-Agent", ""), sent))
        path = self.path
        if path == "/slow":
            time.sleep(2)
        status, location = {
            "/ok": (200, None),
            "/slow": (200, None),
            "/gone": (404, None),
            "/error": (500, None),
            "/forbidden": (403, None),
            "/login": (401, None),
            "/moved": (301, "/ok"),
            "/moved-to-gone": (302, "/gone"),
            "/loop": (302, "/loop"),
            "/to-ftp": (302, "ftp://127.0.0.1/file"),
            "/no-head": ((405 if method == "HEAD" else 200), None),
            "/head-lies": ((404 if method == "HEAD" else 200), None),
            "/f%C3%BCr%20alle": (200, None),
        }.get(path, (404, None))
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if method == "GET":
            self.wfile.write(b"ok")

    def do_HEAD(self) -> None:
        self.answer("HEAD")

    def do_GET(self) -> None:
        self.answer("GET")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def web() -> Iterator[str]:
    ASKED.clear()
    with loopback_server(Web) as base:
        yield base


def closed_port() -> int:
    """A port of 127.0.0.1 nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    ("path", "answer", "asked"),
    [
        ("/ok", Answer(), ["HEAD /ok"]),
        # Written as an author writes it; sent as a browser sends it (UTF-8, percent-encoded).
        ("/für alle", Answer(), ["HEAD /f%C3%BCr%20alle"]),
        ("/f%C3%BCr%20alle", Answer(), ["HEAD /f%C3%BCr%20alle"]),
        ("/moved", Answer(), ["HEAD /moved", "HEAD /ok"]),
        ("/no-head", Answer(), ["HEAD /no-head", "GET /no-head"]),
        ("/head-lies", Answer(), ["HEAD /head-lies", "GET /head-lies"]),
        ("/gone", Answer(broken="HTTP 404 (Not Found)"), ["HEAD /gone", "GET /gone"]),
        ("/error", Answer(broken="HTTP 500 (Internal Server Error)"), None),
        (
            "/moved-to-gone",
            Answer(broken="HTTP 404 (Not Found)"),
            ["HEAD /moved-to-gone", "HEAD /gone", "GET /moved-to-gone", "GET /gone"],
        ),
        ("/forbidden", Answer(refused="HTTP 403, refused to a program"), None),
        ("/login", Answer(refused="HTTP 401, a login"), ["HEAD /login"]),
        (
            "/to-ftp",
            Answer(broken="a redirect to a ftp: address, not followed (HTTP 302)"),
            ["HEAD /to-ftp"],
        ),
    ],
)
def test_what_an_answer_is_taken_for(
    web: str, path: str, answer: Answer, asked: list[str] | None
) -> None:
    assert ask(web + path) == answer
    if asked is not None:
        assert [f"{m} {p}" for m, p, *_ in ASKED] == asked
    # Who asks, said; nothing of the user's sent.
    assert {(agent, sent) for _, _, agent, sent in ASKED} == {(USER_AGENT, False)}


def test_a_redirect_loop_is_broken_and_ends(web: str) -> None:
    answer = ask(web + "/loop")
    assert answer.broken is not None and "HTTP 302" in answer.broken, answer
    assert 2 <= len(ASKED) <= 30


def test_no_answer_and_no_server(web: str) -> None:
    assert ask(web + "/slow", timeout=0.3) == Answer(broken="no answer within 0.3 s")
    port = closed_port()
    answer = ask(f"http://127.0.0.1:{port}/x", timeout=2)
    assert answer == Answer(broken="cannot be reached (Connection refused)")


def test_the_report_asks_each_address_once_and_names_every_place(web: str) -> None:
    addresses = {
        f"{web}/gone": ["a.md:3", "b.md:7", "b.md:9"],
        f"{web}/ok": ["a.md:4"],
        f"{web}/forbidden": ["b.md:2"],
    }
    warnings, unchecked = link_report(addresses)
    assert warnings == [f"a.md:3: link {web}/gone: HTTP 404 (Not Found) (also b.md:7, b.md:9)"]
    assert unchecked == [f"{web}/forbidden (HTTP 403, refused to a program; in b.md:2)"]
    heads = sorted(p for m, p, *_ in ASKED if m == "HEAD")
    assert heads == ["/forbidden", "/gone", "/ok"]
    assert link_report({}) == ([], [])


def test_the_pages_addresses_with_their_lines() -> None:
    body = (
        "## Sources\n\n"  # line 4 of the file
        "[the text](https://a.example/x), <https://b.example/>, [mail](mailto:a@b.example),\n"
        "[a page](#page-x), [file](../assets/x.pdf).\n\n"
        '<p>Also <a href="http://c.example/">c</a>\n'
        '<img src="https://d.example/i.png" alt="A chart of counts"></p>\n\n'
        "![A chart](https://e.example/c.png)\n"
    )
    parsed, problems = parse_markdown(body, first_line=4)
    assert problems == []
    assert parsed.addresses == (
        (6, "https://a.example/x"),
        (6, "https://b.example/"),
        (9, "http://c.example/"),
        (10, "https://d.example/i.png"),
        (12, "https://e.example/c.png"),
    )


def test_check_links_warns_names_the_lines_and_strict_fails(
    web: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "modules"
    shutil.copytree(ROOT / "tests" / "fixtures" / "courses" / "minimal", source)
    page = source / "01-basics" / "pages" / "02-the-rule.md"
    page.write_text(
        "---\ntitle: The rule\n---\n## Sources\n\n"
        f"[Gone]({web}/gone), [moved]({web}/moved), [no HEAD]({web}/no-head).\n\n"
        f"[Gone again]({web}/gone) and [a robot check]({web}/forbidden).\n",
        encoding="utf-8",
    )
    where = f"{source}/01-basics/pages/02-the-rule.md"
    args = ["check", "--source", str(source), "--out", str(tmp_path / "dist"), "-t", "web"]

    # Without --links nothing is asked.
    code, _, err = run(capsys, *args)
    assert (code, ASKED) == (0, []) and "link" not in err

    code, out, err = run(capsys, *args, "--links")
    assert code == 0, err
    assert f"warning: {where}:6: link {web}/gone: HTTP 404 (Not Found) (also {where}:8)" in err
    assert f"link not checked, open it yourself: {web}/forbidden" in out
    assert "checked 4 links: 1 broken, 1 not checked" in out
    assert f"{web}/moved" not in out + err and f"{web}/no-head" not in out + err
    assert not (tmp_path / "dist").exists()

    code, out, err = run(capsys, *args, "--links", "--strict")
    assert code == 1 and err.splitlines()[-1].startswith("Error: --strict: the build warned 1 time")


def test_at_most_two_requests_to_one_server_at_a_time() -> None:
    """Eight workers, twelve addresses of one server, each answer taking a while: the server
    never has more than two requests of the check at once."""
    now = {"open": 0, "most": 0}
    lock = threading.Lock()

    def slow(url: str) -> Answer:
        with lock:
            now["open"] += 1
            now["most"] = max(now["most"], now["open"])
        time.sleep(0.2)
        with lock:
            now["open"] -= 1
        return Answer()

    one = {f"https://one.example/{n}": [f"a.md:{n}"] for n in range(12)}
    assert link_report(one, slow, workers=8) == ([], [])
    assert now["most"] == 2
    # Other servers go on beside it: 8 servers, 8 at a time.
    now["most"] = 0
    many = {f"https://s{n}.example/": [f"a.md:{n}"] for n in range(8)}
    link_report(many, slow, workers=8)
    assert now["most"] == 8


def test_an_address_beyond_ascii_is_sent_as_a_browser_sends_it() -> None:
    assert as_uri("https://Bücher.example:8443/ä?q=ü") == (
        "https://xn--bcher-kva.example:8443/%C3%A4?q=%C3%BC"
    )
    kept = "https://accountabilityhub.org/provision/18-u-s-c-%C2%A7-1590/"
    assert as_uri(kept) == kept


def test_the_real_course_addresses_are_its_sources_with_their_lines() -> None:
    """Every `<https://…>` of the shipped course's references pages, at its line in the file."""
    course = load_course(ROOT / "modules")
    written: dict[str, list[str]] = {}
    for page in sorted((ROOT / "modules").glob("*/pages/*.md")):
        lines = page.read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines, start=1):
            for url in re.findall(r"<(https?://[^>\s]+)>", line):
                written.setdefault(url, []).append(f"{page.relative_to(ROOT).as_posix()}:{n}")
    found = page_addresses(course)
    assert {u: [w.split("modules/", 1)[-1] for w in where] for u, where in found.items()} == {
        u: [w.removeprefix("modules/") for w in where] for u, where in written.items()
    }
    assert len(found) > 150 and sum(map(len, found.values())) > 300
