"""YAML with line numbers: every key path of a document mapped to the line it starts on.

pydantic reports *which* field is wrong; users need *where*. PyYAML's node tree carries the marks, so we
compose the document once and index it by path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from harness.errors import UserError


def load_yaml_with_lines(path: Path) -> tuple[Any, dict[tuple[Any, ...], int]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(f"{path}: file not found; check the path (relative paths are resolved from the current "
                        "directory)") from None
    except UnicodeDecodeError as error:
        raise UserError(f"{path}: not UTF-8 text (byte {error.start}); save the file as UTF-8") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a directory; give the path of a YAML file") from None
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise UserError(f"{path}{line}: invalid YAML ({error.problem or error.context}); fix the syntax at that line") from None
    except yaml.YAMLError as error:
        raise UserError(f"{path}: invalid YAML ({error})") from None
    lines: dict[tuple[Any, ...], int] = {}

    def walk(current: Any, prefix: tuple[Any, ...]) -> None:
        if current is None:
            return
        lines.setdefault(prefix, current.start_mark.line + 1)
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                here = prefix + (key.value,)
                lines[here] = key.start_mark.line + 1
                walk(value, here)
        elif isinstance(current, yaml.SequenceNode):
            for index, item in enumerate(current.value):
                here = prefix + (index,)
                lines[here] = item.start_mark.line + 1
                walk(item, here)

    walk(node, ())
    return data, lines


def line_of(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest existing prefix of `loc` (a missing key points at its parent)."""
    for end in range(len(loc), -1, -1):
        found = lines.get(tuple(loc[:end]))
        if found is not None:
            return found
    return None
