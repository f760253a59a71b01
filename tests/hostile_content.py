"""The shipped course with script, markup and template injections in every authored text.

Every free-text YAML field (titles, prompts, choices, feedback, explanations, glossary, sources,
bench cards, survey items, descriptions…) and every page title gets a payload appended; every page
body gets the raw-HTML attacks of `BODY`. A built package must run none of it: each payload sets
`window.__pwned` (or opens a dialog) if it ever runs. Used by `browser/test_hostile_pages.py`.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]

#: Appended to long text fields: closes the data island's script, opens one, breaks XML and Jinja.
TEXT = (
    "\"'</script><script>__pwned=1</script><img src=# onerror=__pwned=2>"
    "<svg onload=__pwned=3>{{7*7}}{% raw %}<!--]]>&amp;"
)
#: Appended to titles, headings and terms (bench card titles have at most 80 characters).
SHORT = "</script><img src=# onerror=__pwned=4>{{7*7}}"
#: Keys whose string values (or lists of strings) are text shown to learners.
TEXT_KEYS = {
    "audience",
    "definition",
    "description",
    "explanation",
    "feedback",
    "feedback_false",
    "feedback_true",
    "keywords",
    "prompt",
    "publisher",
    "scale",
    "source",
    "steps",
    "text",
}
SHORT_KEYS = {"heading", "term", "title"}

#: Raw HTML in a Markdown body, each line an attack the sanitiser must defuse.
BODY = r"""
<script>__pwned='script'</script>
<img src=# onerror="__pwned='img'" alt=t><IMG SRC=# OnErRoR="__pwned='IMG'" alt=t>
<img src="jav&#x09;ascript:__pwned='tab'" alt=t>
<a href="javascript:__pwned='a'">a1</a> <a href="JaVaScRiPt:__pwned='a'">a2</a>
<a href="&#106;avascript:__pwned='a'">a3</a> <a href="&#x6A;avascript&colon;__pwned='a'">a4</a>
<a href=" javascript:__pwned='a'">a5</a> <a href="java&#x0A;script:__pwned='a'">a6</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">a7</a>
<a href="vbscript:__pwned='a'">a8</a> <a href="file:///etc/passwd">a9</a>
<img src="data:image/svg+xml,<svg onload=__pwned='svgdata'>" alt="d">
<svg><script>__pwned='svg'</script></svg><svg onload="__pwned='svg'"></svg>
<svg><a xlink:href="javascript:__pwned='svg'"><text>t</text></a></svg>
<math><mtext><table><mglyph><style><img src=# onerror="__pwned='mxss'" alt=t></style>
</mglyph></table></mtext></math>
<base href="javascript:__pwned='base'//">
<meta http-equiv="refresh" content="0;url=javascript:__pwned='meta'">
<iframe srcdoc="<script>parent.__pwned='srcdoc'</script>"></iframe>
<object data="javascript:__pwned='object'"></object><embed src="javascript:__pwned='embed'">
<div style="background:url(javascript:__pwned='css')">css</div>
<style>*{background:url("javascript:__pwned='style'")}</style>
<details open ontoggle="__pwned='toggle'"><summary>s</summary>d</details>
<form action="javascript:__pwned='form'"><button formaction="javascript:__pwned='b'">go</button>
</form>
<noscript><p title="</noscript><img src=# onerror=__pwned='noscript' alt=t>"></p></noscript>
<!--<img src=# onerror=__pwned='comment' alt=t>-->
<!--> <img src=# onerror=__pwned='comment2' alt=t> -->
<abbr title="x>[R1]<img src=# onerror=__pwned='attr' alt=t>">attr</abbr>
<a href="#page-nope"><abbr title="</a><img src=# onerror=__pwned='unlink' alt=t>">u</abbr></a>
<div id="coursepack-data">{"pages":[]}</div><form id="cp-form" name="cp"></form>
<template><img src=# onerror="__pwned='template'" alt=t></template>
<xmp><img src=# onerror="__pwned='xmp'" alt=t></xmp>
{{ 7*7 }} {% raw %} ${7*7} ]]> &amp; &lt;script&gt;
"""


def _inject(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _inject(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_inject(v, key) for v in value]
    if isinstance(value, str) and key in SHORT_KEYS:
        return f"{value} {SHORT}"
    if isinstance(value, str) and key in TEXT_KEYS:
        return f"{value} {TEXT}"
    return value


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


def hostile_course(dest: Path) -> Path:
    """A copy of the shipped course at `dest` with a payload in every text an author writes."""
    shutil.copytree(REPO / "modules", dest)
    for path in sorted(dest.rglob("*.yaml")):
        path.write_text(_dump(_inject(yaml.safe_load(path.read_text()))))
    for path in sorted(dest.rglob("*.md")):
        _, front, body = path.read_text().split("---\n", 2)
        meta = _inject(yaml.safe_load(front))
        path.write_text(f"---\n{_dump(meta)}---\n{body}\n{BODY}\n")
    return dest
