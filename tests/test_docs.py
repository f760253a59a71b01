"""The documentation stays true: options, commands, profiles, the launcher example, the data keys.

README.md and docs/*.md are what LMS admins and designers read; these tests fail when the code
and the pages part: an option missing from docs/cli.md or named there but gone, a command line in
a shell block that no longer parses, the report's option table, the `--lms` table of
docs/lms.md, the cmi5 launcher example, the course-data keys of docs/runtime.md.
"""

from __future__ import annotations

import json
import logging
import re
import shlex
from pathlib import Path
from typing import Any

import click
import pytest

from builder.cli import cli
from builder.profiles import PROFILES
from builder.targets import TARGETS

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "docs").glob("*.md"))
README = ROOT / "README.md"
CLI_DOC = ROOT / "docs" / "cli.md"

#: `--words` the pages name that are not coursepack's options, each with where it comes from.
OTHER_TOOLS = {
    "--update-golden",  # pytest, tests/conftest.py
    "--builder-root",  # bench/bench_hostile.py
    "--test",  # node --test
}


def _options(command: click.Command) -> list[str]:
    """Every option spelling of `command`, short and long (`-t`, `--target`)."""
    return [
        name
        for param in command.params
        if isinstance(param, click.Option)
        for name in (*param.opts, *param.secondary_opts)
        if name not in ("-h", "--help")
    ]


def _shell_commands(path: Path) -> list[tuple[int, list[str]]]:
    """The `coursepack` command lines of the ```sh blocks of `path`, as (line, argv after it)."""
    found: list[tuple[int, list[str]]] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    in_block, pending, start = False, "", 0
    for number, line in enumerate(lines, 1):
        if line.startswith("```"):
            in_block = line.strip() == "```sh" and not in_block
            continue
        if not in_block:
            continue
        if not pending:
            start = number
        pending += line.rstrip("\\") + " " if line.endswith("\\") else line
        if line.endswith("\\"):
            continue
        words = shlex.split(pending, comments=True)
        pending = ""
        while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):  # VAR=value before the command
            words.pop(0)
        if words and words[0] in ("coursepack", ".venv/bin/coursepack"):
            found.append((start, words[1:]))
    return found


def test_every_option_of_every_command_is_in_the_cli_reference() -> None:
    text = CLI_DOC.read_text(encoding="utf-8")
    missing = [
        f"{name} {option}"
        for name, command in cli.commands.items()
        for option in _options(command)
        if f"`{option}" not in text
    ]
    assert missing == [], f"add to docs/cli.md: {missing}"
    for name in cli.commands:
        assert f"## `coursepack {name}" in text, f"docs/cli.md has no section for {name}"


def test_every_option_the_pages_name_exists() -> None:
    commands = [cli, *cli.commands.values()]
    known = {"--help", *(option for command in commands for option in _options(command))}
    named: dict[str, list[str]] = {}
    for path in [README, *DOCS]:
        text = path.read_text(encoding="utf-8")
        for option in re.findall(r"(?<![\w/-])--[a-z][a-z0-9-]+", text):
            named.setdefault(option, []).append(path.name)
    unknown = {o: sorted(set(w)) for o, w in named.items() if o not in known | OTHER_TOOLS}
    assert unknown == {}, "options the pages name that no command has"


def test_the_report_option_table_is_the_report_command() -> None:
    text = (ROOT / "docs" / "report.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| `--")]
    documented = {o for row in rows for o in re.findall(r"`(--[a-z-]+)", row.split("|")[1])}
    options = {o for o in _options(cli.commands["report"]) if o.startswith("--")}
    assert documented == options - {"--verbose", "--quiet"}


@pytest.mark.parametrize(
    ("page", "line", "argv"),
    [(p.name, n, a) for p in [README, *DOCS] for n, a in _shell_commands(p)],
    ids=lambda v: str(v) if not isinstance(v, list) else " ".join(v)[:40],
)
def test_every_command_line_in_the_pages_parses(
    page: str,
    line: int,
    argv: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Parse and convert every option as `coursepack` would, then stop: the command does nothing.
    work = tmp_path / "work"
    (tmp_path / "shared" / "schemas").mkdir(parents=True)
    (work / "dist").mkdir(parents=True)
    (work / "dist" / "htp-prosecution-scorm12-1.1.1.zip").write_bytes(b"")
    monkeypatch.chdir(work)
    args = [
        word
        for arg in argv
        for word in (sorted(str(f) for f in Path().glob(arg)) or [arg] if "*" in arg else [arg])
    ]
    ran: list[str] = []
    for name, command in cli.commands.items():
        monkeypatch.setattr(command, "callback", lambda name=name, **_: ran.append(name))
    level = logging.getLogger("coursepack").level
    try:
        cli.main(args=args, prog_name="coursepack", standalone_mode=False)
    except click.ClickException as exc:
        pytest.fail(f"{page}:{line}: coursepack {' '.join(argv)}: {exc.format_message()}")
    finally:
        logging.getLogger("coursepack").setLevel(level)
    assert ran == [args[0]]


def test_the_pages_show_commands_of_every_kind() -> None:
    # The parse test above is only as good as what it finds: README's "Using it" block is there.
    found = {argv[0] for n, argv in _shell_commands(README)}
    assert found >= {"build", "validate", "check", "preview", "new", "targets", "report"}


def test_the_lms_profile_table_is_builder_profiles() -> None:
    text = (ROOT / "docs" / "lms.md").read_text(encoding="utf-8")
    table: dict[str, tuple[tuple[str, ...], bool]] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"`[a-z]+`", cells[0]) and cells[0][1:-1] in PROFILES:
            targets = tuple(re.findall(r"`([a-z0-9-]+)`", cells[2]))
            table[cells[0][1:-1]] = (targets, cells[3] == "allowed")
    assert table == {n: (p.targets, p.many_units) for n, p in PROFILES.items()}


def test_the_launcher_example_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from builder.build import build
    from builder.config import BuildConfig

    source = ROOT / "tests" / "fixtures" / "courses" / "minimal"
    [built] = build(BuildConfig(source_dir=source, out_dir=tmp_path, targets=("cmi5",)))
    text = (ROOT / "docs" / "cmi5.md").read_text(encoding="utf-8")
    example = text.split("## The launcher", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    package = 'Path("dist/htp-prosecution-cmi5-1.1.1.zip")'
    assert package in example
    # The package built here; an LRS on 127.0.0.1 where nothing listens: `launched` is refused.
    example = example.replace(package, f"Path({str(built.path)!r})")
    example = example.replace("https://lrs.example.org/xAPI/", "http://127.0.0.1:9/xAPI/")
    scope: dict[str, Any] = {}
    exec(compile(example, "docs/cmi5.md", "exec"), scope)
    url = capsys.readouterr().out.strip()
    assert url.startswith("http://127.0.0.1:") and "fetch=" in url and "registration=" in url
    assert [status for status, _ in scope["launcher"].failures] == [502]


def test_runtime_md_names_every_course_data_key() -> None:
    text = (ROOT / "docs" / "runtime.md").read_text(encoding="utf-8")
    schema = json.loads((ROOT / "docs" / "course-data.schema.json").read_text(encoding="utf-8"))
    keys = [*schema["properties"], *schema["$defs"]["CourseInfo"]["properties"]]
    named = re.findall(r'"(\w+)"|`(?:course\.)?(\w+)`', text)
    missing = [k for k in keys if not any(k in pair for pair in named)]
    assert missing == [], "course-data keys docs/runtime.md does not describe"
    [standards] = re.findall(r'"standard": "([^"]+)"', text)
    assert set(standards.split(" | ")) == {t.standard for t in TARGETS.values()}


def test_every_file_the_pages_name_exists() -> None:
    # `builder/x.py`, `tests/…/*.py`, `templates/messages/<language>.json`: placeholders as globs.
    pattern = r"`((?:builder|templates|tests|scripts|bench|docs|modules)/[^`\s]*)`"
    missing = []
    for page in [README, *DOCS]:
        for ref in re.findall(pattern, page.read_text(encoding="utf-8")):
            path = re.sub(r"<[^>]+>|…", "*", ref.split("::")[0]).rstrip("/.,;:")
            if not any(ROOT.glob(path)):
                missing.append(f"{page.name}: {ref}")
    assert missing == []


def test_the_xapi_vocabulary_table_is_what_the_build_sends() -> None:
    # docs/xapi.md "Vocabulary": each row against the statements the build's check makes.
    from builder.loader import load_course
    from builder.render import course_data
    from builder.statements import example_statements
    from builder.vocabulary import load_profile

    profile = load_profile()
    data = course_data(load_course(ROOT / "modules"), TARGETS["xapi"])
    sent: dict[str, dict[str, Any]] = {}
    for _, text in example_statements(data, profile):
        statement = json.loads(text)
        [template] = profile.matching(statement)
        sent.setdefault(template.name, statement)
    text = (ROOT / "docs" / "xapi.md").read_text(encoding="utf-8")
    table = text.split("| template | verb |", 1)[1].split("\n\n", 1)[0].splitlines()[2:]
    last = lambda iri: iri.rsplit("/", 1)[-1]  # noqa: E731
    rows = 0
    for row in table:
        name, verb, object_type, context, result = (c.strip() for c in row.strip("|").split("|"))
        if name not in sent:  # completed-post-test: a cmi5 AU's only
            assert "cmi5 only" in result, name
            continue
        rows += 1
        statement = sent[name]
        activities = statement["context"]["contextActivities"]
        types = {
            k: ", ".join(last(a["definition"]["type"]) for a in activities.get(k, []))
            for k in ("parent", "grouping")
        }
        shown = " → ".join(t for t in (types["parent"], types["grouping"]) if t) or "–"
        assert (verb, object_type, context) == (
            last(statement["verb"]["id"]),
            last(statement["object"]["definition"]["type"]),
            shown,
        ), name
        said = result.replace("no success", "")
        for key in ("score", "success", "completion", "duration", "response"):
            assert (key in said) == (key in statement.get("result", {})), (name, key)
    assert rows == len(sent)


def test_every_message_key_the_pages_name_is_in_the_catalogue() -> None:
    catalogue = json.loads((ROOT / "templates" / "messages" / "en.json").read_text("utf-8"))
    named = {
        key
        for page in [README, *DOCS]
        for key in re.findall(r"`((?:runtime|page)\.[a-z0-9_.]+)`", page.read_text("utf-8"))
        if not key.endswith(".html")  # a template file, `page.html`
    }
    assert named, "the pages name message keys (runtime.cmi5.refused…)"
    assert sorted(named - set(catalogue)) == []


def test_the_yaml_examples_of_authoring_md_are_valid() -> None:
    # Each complete example, read as the build reads it and checked by its model (the scenario
    # example, with its `…`, is a fragment).
    from builder.bench_cards import BenchCards
    from builder.model import AssessmentSpec, FollowUpSpec, GlossaryEntry, ModuleSpec
    from builder.typed import validate
    from builder.yamlfile import Located, parse_yaml

    text = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    models: dict[str, Any] = {
        "id: what-is-trafficking": ModuleSpec,
        "title: Check what you know": AssessmentSpec,
        "title: Tell us what you think": AssessmentSpec,
        "title: Three months on": FollowUpSpec,
        "title: Bench cards": BenchCards,
    }
    checked = 0
    for block in blocks:
        read = parse_yaml(block)
        assert isinstance(read, Located), (block[:40], read)
        assert read.problems == [], block[:40]
        data = read.data
        if block.startswith("- term:"):
            [validate(GlossaryEntry, entry) for entry in data]
            checked += 1
        for start, model in models.items():
            if block.startswith(start):
                validate(model, data)
                checked += 1
    assert checked == len(models) + 1
