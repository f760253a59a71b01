"""YAML that remembers where each value came from, and speaks YAML 1.2 booleans only.

`parse_yaml` returns plain data (mappings as dicts, sequences as tuples, so frozen models accept
them in strict mode) plus a map from each key path to its line, for `file:line:` messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader where only true/false are booleans (`no`, `on`, `yes` stay text)."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


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

    def line_of(self, path: Path_) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None


def parse_yaml(text: str, first_line: int = 1) -> Located | YamlError:
    """Parse `text` (whose first line is `first_line` of its file) into located data."""
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


def _marked(exc: yaml.MarkedYAMLError, first_line: int) -> YamlError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + first_line if mark else None
    where = ""
    if exc.context and exc.context_mark and exc.problem_mark:
        where = f" ({exc.context} at line {exc.context_mark.line + first_line})"
    return YamlError(line, f"invalid YAML: {exc.problem or exc.context}{where}")


def _build(node: yaml.Node, path: Path_, out: Located, loader: _Loader, offset: int) -> Any:
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
            key = loader.construct_object(key_node, deep=True)
            key = key if isinstance(key, str) else str(key)
            line = key_node.start_mark.line + 1 + offset
            if key in result:
                out.duplicates.append(((*path, key), line))
                continue
            out.lines[(*path, key)] = line
            result[key] = _build(value_node, (*path, key), out, loader, offset)
        return result
    if isinstance(node, yaml.SequenceNode):
        return tuple(
            _build(item, (*path, i), out, loader, offset) for i, item in enumerate(node.value)
        )
    return loader.construct_object(node, deep=True)
