"""`coursepack preview` itself: the web target runs as it is, an edit rebuilds and reloads the
course and a source error shows in the page, Ctrl-C stops it and removes its files, and a busy
port gets a clear message.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
from pathlib import Path

import pytest
from browser_walk import all_right
from playwright.sync_api import Page, expect
from preview_fixtures import COURSEPACK, copy_course, preview
from preview_panel import launch, panel, state, stored_statements

pytestmark = pytest.mark.browser


def test_the_web_package_runs_as_it_is(page: Page, tmp_path: Path) -> None:
    source = copy_course("minimal", tmp_path)
    with preview(source, tmp_path) as running:
        course = launch(page, running, "web", source)
        course.walk(course.index("basics/welcome"), all_right)
        expect(page.locator("#status-completion")).to_have_text("kept in the browser")
        expect(page.locator("#calls li")).to_have_count(0)
        assert stored_statements(running) == []
        page.goto("about:blank")


def test_an_edit_rebuilds_and_reloads_and_a_source_error_shows_in_the_page(
    page: Page, tmp_path: Path
) -> None:
    source = copy_course("minimal", tmp_path)
    with preview(source, tmp_path) as running:
        course = launch(page, running, "scorm12", source)
        course.walk(course.index("basics/welcome"), all_right)
        welcome = source / "01-basics" / "pages" / "01-welcome.md"
        welcome.write_text(welcome.read_text() + "\nEdited while the preview ran.\n")
        frame = page.frame_locator("#course")
        expect(frame.get_by_text("Edited while the preview ran.")).to_be_visible(timeout=20_000)
        # Resumed at the page the learner was on.
        course.expect_at(course.index("basics/welcome"))
        module = source / "01-basics" / "module.yaml"
        good = module.read_text()
        module.write_text(good.replace("  - id: apply", "\t- id: apply"))
        error = page.get_by_role("alert")
        expect(error).to_contain_text("module.yaml:7: invalid YAML: expected spaces, found a tab",
                                      timeout=20_000)  # fmt: skip
        panel(page, tmp_path, "source-error")
        module.write_text(good)
        expect(error).to_be_hidden(timeout=20_000)
        assert running.process.poll() is None, "the server died on a source error"
        assert any("the build failed" in line for line in running.output)
        page.goto("about:blank")


def test_ctrl_c_stops_it_cleanly_and_removes_its_files(tmp_path: Path) -> None:
    source = copy_course("minimal", tmp_path)
    with preview(source, tmp_path, "-t", "web") as running:
        assert state(running)["packages"]
        assert list((tmp_path / "tmp").iterdir()), "no build folder while running"
        code = running.stop()
    assert code == 0
    assert any("preview stopped" in line for line in running.output)
    left = [p.name for p in (tmp_path / "tmp").iterdir()]
    # Only the caches stay, as after any build: Jinja's compiled templates (builder/templates.py)
    # and the minified runtime (builder/cache.py).
    caches = ("_jinja2-cache-", "coursepack-cache-")
    assert [name for name in left if not name.startswith(caches)] == []


def test_sigterm_stops_it_as_ctrl_c_does(tmp_path: Path) -> None:
    # A terminal or service manager closing sends SIGTERM: the temporary folder goes too.
    source = copy_course("minimal", tmp_path)
    with preview(source, tmp_path, "-t", "web") as running:
        assert state(running)["packages"]
        running.process.send_signal(signal.SIGTERM)
        code = running.process.wait(timeout=20)
    assert code == 0
    assert any("preview stopped" in line for line in running.output)
    left = [p.name for p in (tmp_path / "tmp").iterdir()]
    caches = ("_jinja2-cache-", "coursepack-cache-")
    assert [name for name in left if not name.startswith(caches)] == []


def test_options_no_build_can_satisfy_exit_before_serving(tmp_path: Path) -> None:
    source = copy_course("minimal", tmp_path)
    done = subprocess.run(
        [str(COURSEPACK), "preview", "-t", "web", "--units", "module", "--port", "0",
         "--source", str(source)],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2
    assert "preview at" not in done.stdout + done.stderr
    assert "web offers only --units course" in done.stderr
    # preview has no --split: the advice names the command that has it.
    assert "Take -t scorm2004-3rd -t scorm2004-4th -t cmi5" in done.stderr
    assert "'coursepack build --split modules'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_busy_port_gets_a_clear_message(tmp_path: Path) -> None:
    source = copy_course("minimal", tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [str(COURSEPACK), "preview", "-t", "web", "--port", str(port), "--source", str(source)],
            capture_output=True, text=True, timeout=60, cwd=tmp_path,
        )  # fmt: skip
    assert done.returncode == 2
    assert re.search(
        rf"--port {port}: expected a free port on 127.0.0.1, found it in use", done.stderr
    )
    assert "Traceback" not in done.stderr
