"""The runtime bundled into one classic script (builder/bundle.py), run by node."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from builder.bundle import SCRIPT, STYLE, bundle_runtime, bundle_script
from builder.errors import TemplateError
from builder.files import OutputFile
from builder.runtime import runtime_files
from builder.targets import TARGETS


def run_script(script: str, tmp_path: Path, prelude: str = "") -> str:
    """Run `script` as a classic script in node (window = globalThis); its stdout."""
    node = shutil.which("node")
    assert node, "node is needed to run the bundled runtime"
    path = tmp_path / "bundle.js"
    path.write_text(prelude + "\n" + script, encoding="utf-8")
    done = subprocess.run(
        [node, str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("xapi", [False, True], ids=["plain", "with-xapi"])
@pytest.mark.parametrize("name", sorted(TARGETS))
def test_every_target_gets_one_script_and_one_sheet_that_parse(
    name: str, xapi: bool, tmp_path: Path
) -> None:
    files = bundle_runtime(runtime_files(TARGETS[name], xapi=xapi))
    by_name = {f.arcname: f.data for f in files}
    runtime = sorted(n for n in by_name if n.startswith("runtime/"))
    assert runtime == [STYLE, SCRIPT]
    script = by_name[SCRIPT].decode("utf-8")
    assert "export " not in script and "import " not in script
    path = tmp_path / "coursepack.js"
    path.write_text(script, encoding="utf-8")
    node = shutil.which("node")
    assert node
    checked = subprocess.run([node, "--check", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    # The adapter the target declares is inside, under the name main.js imports it by.
    assert f'"lms/{TARGETS[name].standard}.js"' in script
    assert bundle_runtime(runtime_files(TARGETS[name], xapi=xapi)) == files  # reproducible


def test_modules_run_once_in_order_with_renamed_and_dynamic_imports(tmp_path: Path) -> None:
    modules = {
        "main.js": (
            'import { twice as double, label } from "./util/math.js";\n'
            'import * as ns from "./util/math.js";\n'
            'import { again } from "./lms/re.js";\n'
            "// import this comment is no statement\n"
            "const which = 'extra';\n"
            "console.log(label, double(4), ns.twice(1), again(2));\n"
            "import(`./lms/${which}.js`).then((m) => console.log(m.extra()));\n"
            'import("./lms/absent.js").catch((e) => console.log("rejected", e.message));\n'
        ),
        "util/math.js": (
            'console.log("math runs");\n'
            "export function twice(n) { return n * 2; }\n"
            "const label = 'L';\n"
            "export { label };\n"
        ),
        "lms/re.js": 'export { twice as again } from "../util/math.js";\n',
        "lms/extra.js": 'import { label } from "../util/math.js";\n'
        "export const extra = () => `extra ${label}`;\n",
    }
    out = run_script(bundle_script(modules), tmp_path).splitlines()
    assert out == [
        "math runs",
        "L 8 2 4",
        "extra L",
        "rejected coursepack: module not in this package: lms/absent.js",
    ]


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("export default 1;\n", "export default 1"),
        ("let x = 1;\nexport let y = 2;\n", "export let y = 2"),
        ('import x from "./util/math.js";\n', 'import x from "./util/math.js"'),
    ],
)
def test_module_syntax_it_cannot_bundle_is_an_error_naming_the_file(
    source: str, found: str
) -> None:
    with pytest.raises(TemplateError) as err:
        bundle_script({"main.js": source, "util/math.js": ""})
    assert "templates/runtime/main.js" in str(err.value) and found in str(err.value)


def test_a_bare_import_and_a_missing_module_are_errors() -> None:
    with pytest.raises(TemplateError, match=r"main\.js:1: only relative imports.*'lodash'"):
        bundle_script({"main.js": 'import { a } from "lodash";\n'})
    with pytest.raises(TemplateError, match=r"main\.js imports util/gone\.js, which this package"):
        bundle_script({"main.js": 'import { a } from "./util/gone.js";\n'})
    with pytest.raises(TemplateError, match=r"entry module not found"):
        bundle_script({"util/a.js": ""})


def test_modules_importing_each_other_are_an_error() -> None:
    with pytest.raises(TemplateError, match=r"import each other: a\.js -> b\.js -> a\.js"):
        bundle_script(
            {
                "main.js": 'import { a } from "./a.js";\n',
                "a.js": 'import { b } from "./b.js";\nexport const a = 1;\n',
                "b.js": 'import { a } from "./a.js";\nexport const b = 2;\n',
            }
        )


def test_other_files_pass_through_and_style_sheets_join() -> None:
    files = [
        OutputFile("runtime/main.js", b"console.log(1);\n"),
        OutputFile("runtime/b.css", b"p { color: red; }\n"),
        OutputFile("runtime/a.css", b"/* note */\nh1 {  margin: 0px; }\n"),
        OutputFile("xapi/profile.jsonld", b"{}"),
    ]
    out = {f.arcname: f.data for f in bundle_runtime(files)}
    assert set(out) == {SCRIPT, STYLE, "xapi/profile.jsonld"}
    assert out[STYLE] == b"h1{margin:0}p{color:red}\n"
    assert out["xapi/profile.jsonld"] == b"{}"
