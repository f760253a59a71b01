"""Courses built directly from the model classes, package files to go with them, manifest access."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from lxml import etree

from builder.files import OutputFile
from builder.model import (
    Assessment,
    AssessmentSpec,
    Course,
    CourseSpec,
    Module,
    ModuleSpec,
    Page,
)
from builder.targets import TARGETS, Target
from builder.templates import DEFAULT_TEMPLATES, make_env
from builder.typed import validate
from builder.units import Unit, plan_units

IRI = "https://courses.example.org/htp-prosecution"
SCORM = [t for t in TARGETS.values() if t.standard.startswith("scorm")]
NS_ADLCP = {
    "scorm12": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
    "scorm2004": "http://www.adlnet.org/xsd/adlcp_v1p3",
}
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"


def course_spec(**changes: Any) -> CourseSpec:
    """A valid `CourseSpec`, with `changes` applied."""
    data: dict[str, Any] = {
        "id": IRI,
        "title": "Prosecuting trafficking & forced labour <in practice>",
        "description": "Apply the Palermo test to cases before the court.",
        "version": "1.0.0",
        "language": "en-GB",
        "publisher": "Example Judicial Academy",
        "audience": ("judges", "prosecutors"),
        "keywords": ("trafficking", "Palermo Protocol"),
        "duration_minutes": 90,
        "mastery_score": 80.0,
        "completion": "all-pages-and-post-test",
    }
    data.update(changes)
    return validate(CourseSpec, data)


def post_test(*, scored: bool = True) -> Assessment:
    """A post-test with one question: single choice (scored) or Likert (unscored)."""
    question: dict[str, Any] = (
        {
            "id": "q1",
            "type": "single",
            "objective": "palermo-elements",
            "prompt": "Which three?",
            "explanation": "Art. 3(a).",
            "source": "Palermo Protocol",
            "choices": ({"text": "Act, means, purpose", "correct": True}, {"text": "Sale"}),
        }
        if scored
        else {"id": "q1", "type": "likert", "prompt": "Useful?", "scale": ("No", "Yes")}
    )
    spec = validate(AssessmentSpec, {"questions": (question,)})
    return Assessment(kind="post-test", title="Post-test", spec=spec, source="post-test.yaml")


def make_course(*, with_post_test: bool = True, scored: bool = True, **changes: Any) -> Course:
    """A one-module course; `changes` go to the course spec."""
    module = Module(
        spec=validate(
            ModuleSpec,
            {
                "id": "what-is-trafficking",
                "title": "What trafficking is",
                "minutes": 35,
                "objectives": ({"id": "palermo-elements", "text": "Apply the Palermo test."},),
            },
        ),
        pages=(
            Page(
                id="introduction",
                title="Introduction",
                body="Hi",
                source="01-introduction.md",
            ),
        ),
        pre_test=None,
        post_test=post_test(scored=scored) if with_post_test else None,
        assets=(),
    )
    return Course(spec=course_spec(**changes), modules=(module,))


def package_files() -> list[OutputFile]:
    """The non-manifest files of a small package, deliberately unsorted."""
    return [
        OutputFile("index.html", b"<!doctype html><title>Course</title>"),
        OutputFile("runtime/main.js", b"export {};\n"),
        OutputFile("assets/what-is-trafficking/palermo.png", b"\x89PNG\r\n"),
        OutputFile("runtime/lms/discover.js", b"export {};\n"),
    ]


def whole(course: Course) -> tuple[Unit, ...]:
    """The units of a package of the whole course: one, launched from index.html."""
    return plan_units(course, "course")


def manifest_bytes(target: Target, **course_changes: Any) -> bytes:
    """The one file `target.manifest` writes for `make_course(**course_changes)`."""
    course = make_course(**course_changes)
    out = target.manifest(course, whole(course), package_files(), make_env([DEFAULT_TEMPLATES]))
    assert [f.arcname for f in out] == ["imsmanifest.xml"]
    return out[0].data


def parse_manifest(target: Target, **course_changes: Any) -> etree._Element:
    """The root element of `manifest_bytes(target, **course_changes)`."""
    return etree.fromstring(manifest_bytes(target, **course_changes))


def cp(root: etree._Element, path: str) -> list[etree._Element]:
    """Elements at `path` (slash-separated local names) in `root`'s own namespace."""
    ns = etree.QName(root).namespace
    return root.findall("/".join(f"{{{ns}}}{p}" for p in path.split("/")))


def texts_at(root: etree._Element, path: str) -> list[str | None]:
    """The texts of the elements at `path` below `root` (as `cp`)."""
    return [e.text for e in cp(root, path)]


#: The repository root: node runs the runtime's modules from here.
REPO = Path(__file__).resolve().parents[1]


def node_json(script: Path, payload: Any) -> Any:
    """Run the node `script` with `payload` as JSON on stdin; its stdout parsed as JSON."""
    exe = shutil.which("node")
    assert exe, "node is needed to run the runtime's modules"
    done = subprocess.run(
        [exe, str(script)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=REPO,
    )
    return json.loads(done.stdout)


#: A module factory in the bundled runtime (builder/bundle.py): `["<path in runtime/>"]=function`.
_BUNDLED = re.compile(r'\["([\w./-]+\.js)"\]\s*=\s*function')


def runtime_entries(zf: zipfile.ZipFile) -> set[str]:
    """The zip's file names plus every runtime module inside its bundle, as `runtime/<path>`."""
    names = set(zf.namelist())
    if "runtime/coursepack.js" in names:
        script = zf.read("runtime/coursepack.js").decode("utf-8")
        names |= {f"runtime/{m}" for m in _BUNDLED.findall(script)}
    return names


@contextmanager
def loopback_server(handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[str]:
    """`handler` served on a free port of 127.0.0.1 in a thread: its base URL (no slash at the
    end); the server is stopped on exit, whatever happened."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
