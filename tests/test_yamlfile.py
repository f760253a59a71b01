"""The bounded YAML reader: aliases, nesting, numbers and characters that are refused."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from builder.yamlfile import MAX_DEPTH, NOT_XML, Located, YamlError, parse_yaml


def _problems(text: str) -> list[tuple[tuple[str | int, ...], int, str]]:
    parsed = parse_yaml(text)
    assert isinstance(parsed, Located), parsed
    return parsed.problems


def test_plain_yaml_keeps_values_and_lines() -> None:
    parsed = parse_yaml("a: 1\nb: [x, 2.5]\nc: {d: true}\n")
    assert isinstance(parsed, Located)
    assert parsed.data == {"a": 1, "b": ("x", 2.5), "c": {"d": True}}
    assert parsed.problems == []
    assert parsed.line_of(("c", "d")) == 3


def test_an_alias_bomb_is_refused_at_the_first_alias_quickly() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    started = time.perf_counter()
    parsed = parse_yaml("\n".join(lines))
    assert time.perf_counter() - started < 5  # generous: it was 44 s and 3.8 GB
    assert parsed == YamlError(
        2,
        "invalid YAML: expected a value written out, found the alias '*a0' "
        "(anchors and aliases are not supported)",
    )


def test_a_merge_key_keeps_its_own_message() -> None:
    parsed = parse_yaml("d: &d {x: 1}\ne:\n  <<: *d\n")
    assert parsed == YamlError(
        3, "invalid YAML: expected plain keys, found a merge key '<<' (write each key out)"
    )


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 780, 5000])
def test_deep_nesting_is_an_error_not_a_recursion(depth: int) -> None:
    parsed = parse_yaml("k: " + "[" * depth + "]" * depth)
    assert isinstance(parsed, YamlError)
    assert parsed.line == 1
    assert f"expected at most {MAX_DEPTH} levels of nested lists and mappings" in parsed.message


def test_nesting_up_to_the_limit_is_read() -> None:
    depth = MAX_DEPTH - 1
    parsed = parse_yaml("[" * depth + "]" * depth)
    assert isinstance(parsed, Located)


#: What a refused number adds: it may have been meant as text.
AS_TEXT = " (put it in quotes if it is text)"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (".nan", "expected a finite number, found '.nan'" + AS_TEXT),
        (".inf", "expected a finite number, found '.inf'" + AS_TEXT),
        ("-.Inf", "expected a finite number, found '-.Inf'" + AS_TEXT),
        ("1.0e+400", "expected a finite number, found '1.0e+400'" + AS_TEXT),
        (
            "9" * 5000,
            "expected a whole number of at most 32 characters, found one of 5000" + AS_TEXT,
        ),
        ("!!float x", "expected a number, found 'x'"),
        ("!!int x", "expected a whole number, found 'x'"),
        ("!!float .nan", "expected a finite number, found '.nan'" + AS_TEXT),
        ("!!timestamp x", "expected a plain value, found tag:yaml.org,2002:timestamp 'x'"),
        ("!upper x", "expected a plain value, found the tag '!upper'"),
        ('"a\\fb"', "expected text XML can carry, found the character #x0C at position 2"),
        ('"\\0"', "expected text XML can carry, found the character #x00 at position 1"),
        ('"\\e[31m"', "expected text XML can carry, found the character #x1B at position 1"),
        ('"x \\uFFFE"', "expected text XML can carry, found the character #xFFFE at position 3"),
        ('"\\uD800"', "expected text XML can carry, found the character #xD800 at position 1"),
    ],
)
def test_values_that_are_not_numbers_or_xml_text_are_problems(value: str, message: str) -> None:
    assert _problems(f"a: ok\nweight: {value}\n") == [(("weight",), 2, message)]


def test_a_bad_key_is_a_problem_too() -> None:
    assert _problems('"k\\0": 1\n') == [
        ((), 1, "expected text XML can carry, found the character #x00 at position 2")
    ]


def test_allowed_characters_pass() -> None:
    parsed = parse_yaml('t: "tab\\there, NEL \\u0085, emoji \\U0001F600, é"\n')
    assert isinstance(parsed, Located)
    assert parsed.problems == []


def test_the_fast_reader_gives_what_the_bounded_reader_gives() -> None:
    """libyaml's composer (used for text without anchors) reads every shipped and fixture file
    exactly as the bounded pure-Python reader does: same data, same lines, same problems."""
    from builder import yamlfile

    root = Path(__file__).resolve().parent.parent
    files = [*(root / "modules").rglob("*.yaml"), *(root / "tests" / "fixtures").rglob("*.yaml")]
    compared = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        fast = yamlfile._parse_fast(text, 1)
        if fast is None:
            continue  # not clean YAML: the bounded reader reports it
        loader = yamlfile._Loader(text)
        try:
            node = loader.get_single_node()
            expected = yamlfile.Located(None)
            if node is not None:
                expected.data = yamlfile._build(node, (), expected, loader, 0)
        finally:
            loader.dispose()
        got = (fast.data, fast.lines, fast.duplicates, fast.problems)
        assert got == (expected.data, expected.lines, expected.duplicates, expected.problems), path
        compared += 1
    assert compared > 50


def test_the_fast_reader_never_expands_an_alias_nor_goes_too_deep() -> None:
    """Text with an anchor never takes the fast path; and if libyaml were ever handed one, a
    node met twice (or nesting past the bound) sends the text back to the bounded reader."""
    from builder import yamlfile

    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    assert yamlfile.ANCHOR.search(bomb)
    assert yamlfile._parse_fast(bomb, 1) is None
    deep = "v: " + "[" * 40 + "]" * 40 + "\n"
    assert yamlfile._parse_fast(deep, 1) is None
    assert not yamlfile.ANCHOR.search("title: R & D at AT&T\n")


def test_not_xml_is_exactly_what_xml_1_0_cannot_carry() -> None:
    """Every code point against the Char production (XML 1.0 section 2.2)."""

    def is_char(c: int) -> bool:
        return c in (0x9, 0xA, 0xD) or 0x20 <= c <= 0xD7FF or 0xE000 <= c <= 0xFFFD or c >= 0x10000

    wrong = [c for c in range(0x110000) if bool(NOT_XML.match(chr(c))) == is_char(c)]
    assert wrong == []
