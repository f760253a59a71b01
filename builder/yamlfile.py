"""YAML that remembers where each value came from, and speaks YAML 1.2 booleans only.

`parse_yaml` returns plain data (mappings as dicts, sequences as tuples, so frozen models accept
them in strict mode) plus a map from each key path to its line, for `file:line:` messages.

The reader is bounded, so a small hostile file cannot take unbounded time or memory (issue 15):
aliases are refused (a 330-byte file of nested aliases expands to gigabytes), nesting is at most
`MAX_DEPTH` levels (the pure-Python composer recurses), numbers are finite and at most
`MAX_NUMBER_CHARS` characters long (int() refuses more than 4,300 digits), and text holds only
characters XML 1.0 can carry (titles go into manifests). Bad values are `Located.problems`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[str | int, ...]

#: Levels of nested lists and mappings; the deepest authored structure (scenarios) needs 7.
MAX_DEPTH = 32
#: Characters of a number as written; more is never a number a course needs.
MAX_NUMBER_CHARS = 32
#: Said after a number YAML refused: an unquoted value may have been meant as text.
_AS_TEXT = " (put it in quotes if it is text)"
#: Characters XML 1.0 cannot carry (Char production, XML 1.0 section 2.2), lone surrogates too:
#: the complement of `#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`,
#: written out (compiling the negated class of those ranges takes 5 ms at every start).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_char_problem(text: str) -> str | None:
    """`expected …, found …` for the first character of `text` XML 1.0 cannot carry, or None."""
    bad = NOT_XML.search(text)
    if bad is None:
        return None
    return (
        "expected text XML can carry, found the character "
        f"#x{ord(bad.group()):02X} at position {bad.start() + 1}"
    )


class _Refused(Exception):
    """Raised inside the reader for a value it refuses; never leaves this module (see _scalar)."""

    def __init__(self, message: str, mark: yaml.Mark | None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """SafeLoader where only true/false are booleans (`no`, `on`, `yes` stay text), bounded."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()  # type: ignore[no-untyped-call]
            merge = isinstance(index, yaml.ScalarNode) and index.tag == "tag:yaml.org,2002:merge"
            raise yaml.composer.ComposerError(
                None,
                None,
                "expected plain keys, found a merge key '<<' (write each key out)"
                if merge
                else f"expected a value written out, found the alias '*{event.anchor}' "
                "(anchors and aliases are not supported)",
                index.start_mark if merge else event.start_mark,
            )
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"expected at most {MAX_DEPTH} levels of nested lists and mappings, found more",
                    self.peek_event().start_mark,  # type: ignore[no-untyped-call]
                )
            node: yaml.Node = super().compose_node(parent, index)  # type: ignore[assignment]
            return node
        finally:
            self.depth -= 1

    def construct_yaml_str(self, node: yaml.ScalarNode) -> str:
        value = self.construct_scalar(node)
        if (problem := xml_char_problem(value)) is not None:
            raise _Refused(problem, node.start_mark)
        return value

    def _number(self, node: yaml.ScalarNode, kind: str, construct: Any) -> Any:
        # Refused before the field is known: the value may be meant as text (a title of digits).
        text = self.construct_scalar(node)
        if len(text) > MAX_NUMBER_CHARS:
            raise _Refused(
                f"expected {kind} of at most {MAX_NUMBER_CHARS} characters, "
                f"found one of {len(text)}{_AS_TEXT}",
                node.start_mark,
            )
        try:
            value = construct(self, node)
        except (ValueError, TypeError, OverflowError, IndexError):
            raise _Refused(f"expected {kind}, found '{text}'", node.start_mark) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise _Refused(f"expected a finite number, found '{text}'{_AS_TEXT}", node.start_mark)
        return value

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        return self._number(node, "a whole number", yaml.SafeLoader.construct_yaml_int)  # type: ignore[no-any-return]

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        return self._number(node, "a number", yaml.SafeLoader.construct_yaml_float)  # type: ignore[no-any-return]

    def construct_undefined(self, node: yaml.Node) -> Any:
        raise _Refused(f"expected a plain value, found the tag '{node.tag}'", node.start_mark)


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_constructor("tag:yaml.org,2002:str", _Loader.construct_yaml_str)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
_Loader.add_constructor(None, _Loader.construct_undefined)


class _FastLoader(yaml.CSafeLoader):
    """The same reader with libyaml's parser and composer (C): the build's YAML in a tenth of
    the time. Used only for text with no anchor (`&`), so no alias can expand, and only when it
    parses: any error is reported by `_Loader`, whose messages the tests pin."""


_FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
_FastLoader.yaml_constructors = _Loader.yaml_constructors
for _name in ("construct_yaml_str", "_number", "construct_yaml_int", "construct_yaml_float",
              "construct_undefined"):  # fmt: skip
    setattr(_FastLoader, _name, getattr(_Loader, _name))


class _Fallback(Exception):
    """Raised by `_build` on the fast path past `MAX_DEPTH` levels or at a node met twice (an
    alias): the bounded `_Loader` then reads the text and reports it."""


#: Where an anchor (`&name`) can start: at a line's start, after white space or a flow
#: indicator. Text without one cannot hold an alias; `R & D` or `AT&T` is not one.
ANCHOR = re.compile(r"(?:^|[\s\[{,])&\S", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class YamlError:
    """A YAML syntax problem, with its 1-based line."""

    line: int | None
    message: str


@dataclass(slots=True)
class Located:
    """Parsed YAML data plus the line of every key path."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    duplicates: list[tuple[Path_, int]] = field(default_factory=list)
    #: Values the reader refused (key path, line, `expected …, found …`); they read as None.
    problems: list[tuple[Path_, int, str]] = field(default_factory=list)

    def line_of(self, path: Path_) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None


def parse_yaml(text: str, first_line: int = 1) -> Located | YamlError:
    """Parse `text` (whose first line is `first_line` of its file) into located data."""
    if not ANCHOR.search(text):
        fast = _parse_fast(text, first_line)
        if fast is not None:
            return fast
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + first_line
        found = f"the control character #x{exc.character:02X}"
        return YamlError(line, f"invalid YAML: expected printable text, found {found}")
    located = Located(None)
    try:
        node = loader.get_single_node()
        if node is not None:
            located.data = _build(node, (), located, loader, first_line - 1)
    except yaml.MarkedYAMLError as exc:
        return _marked(exc, first_line)
    except yaml.YAMLError as exc:
        return YamlError(None, f"invalid YAML: {exc}")
    finally:
        loader.dispose()
    return located


def _parse_fast(text: str, first_line: int) -> Located | None:
    """`text` read by libyaml, or None when it does not parse cleanly (the caller falls back)."""
    located = Located(None)
    try:
        loader = _FastLoader(text)
    except yaml.YAMLError:
        return None
    try:
        node = loader.get_single_node()
        if node is not None:
            located.data = _build(node, (), located, loader, first_line - 1, set())
    except (yaml.YAMLError, _Fallback):
        return None
    finally:
        loader.dispose()
    return located


def _marked(exc: yaml.MarkedYAMLError, first_line: int) -> YamlError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + first_line if mark else None
    if mark is not None and "'\\t'" in str(exc.problem):
        return YamlError(
            line,
            f"invalid YAML: expected spaces, found a tab at line {line}, column {mark.column + 1} "
            "(indent with spaces)",
        )
    where = ""
    if exc.context and exc.context_mark and exc.problem_mark:
        where = f" ({exc.context} at line {exc.context_mark.line + first_line})"
    return YamlError(line, f"invalid YAML: {exc.problem or exc.context}{where}")


def _build(
    node: yaml.Node,
    path: Path_,
    out: Located,
    loader: Any,
    offset: int,
    seen: set[int] | None = None,
) -> Any:
    if seen is not None:
        # Fast path: libyaml has composed the text; nothing shared, nothing too deep.
        if len(path) > MAX_DEPTH or (not isinstance(node, yaml.ScalarNode) and id(node) in seen):
            raise _Fallback
        seen.add(id(node))
    out.lines.setdefault(path, node.start_mark.line + 1 + offset)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                # Merged keys would have no line of their own to report problems at.
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    "expected plain keys, found a merge key '<<' (write each key out)",
                    key_node.start_mark,
                )
            line = key_node.start_mark.line + 1 + offset
            key = _scalar(key_node, path, out, loader, offset)
            # A key that is not text is named as written (`true`, `~`), not as Python shows it.
            key = key if isinstance(key, str) else _written(key_node)
            if key in result:
                out.duplicates.append(((*path, key), line))
                continue
            out.lines[(*path, key)] = line
            result[key] = _build(value_node, (*path, key), out, loader, offset, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return tuple(
            _build(item, (*path, i), out, loader, offset, seen) for i, item in enumerate(node.value)
        )
    return _scalar(node, path, out, loader, offset)


def _written(node: yaml.Node) -> str:
    """A node as it was written, near enough to name it in a message (`[a, b]`)."""
    if isinstance(node, yaml.SequenceNode):
        return "[" + ", ".join(_written(n) for n in node.value) + "]"
    if isinstance(node, yaml.MappingNode):
        return "{" + ", ".join(f"{_written(k)}: {_written(v)}" for k, v in node.value) + "}"
    return str(node.value)


_STR = "tag:yaml.org,2002:str"


def _scalar(node: yaml.Node, path: Path_, out: Located, loader: Any, offset: int) -> Any:
    """The value of a scalar (or tagged) node, or None with a problem recorded."""
    if node.tag == _STR and isinstance(node, yaml.ScalarNode):
        # What the loader's `construct_yaml_str` gives, without its dispatch: most values are text.
        if (problem := xml_char_problem(node.value)) is None:
            return node.value
        out.problems.append((path, node.start_mark.line + 1 + offset, problem))
        return None
    try:
        return loader.construct_object(node, deep=True)
    except _Refused as exc:
        line = (exc.mark or node.start_mark).line + 1 + offset
        out.problems.append((path, line, exc.message))
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError):
        # A constructor of PyYAML choking on a malformed tagged value, e.g. `!!timestamp x`.
        shown = node.value if isinstance(node.value, str) else "a collection"
        out.problems.append(
            (
                path,
                node.start_mark.line + 1 + offset,
                f"expected a plain value, found {node.tag} {shown!r}"[:200],
            )
        )
    return None
