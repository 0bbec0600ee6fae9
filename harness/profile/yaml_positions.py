"""YAML with line numbers: every key path of a document mapped to the line it starts on.

pydantic reports *which* field is wrong; users need *where*. PyYAML's node tree carries the marks; the safe
loader (harness/profile/safe_yaml.py) indexes them while it checks the tree, without expanding aliases.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.profile.safe_yaml import load_yaml


def load_yaml_with_lines(path: Path) -> tuple[Any, dict[tuple[Any, ...], int]]:
    return load_yaml(Path(path))


def line_of(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest existing prefix of `loc` (a missing key points at its parent)."""
    for end in range(len(loc), -1, -1):
        found = lines.get(tuple(loc[:end]))
        if found is not None:
            return found
    return None


def dotted(loc: tuple[Any, ...]) -> str:
    """A setting's path for a message: `seed.scale`; a key that is not a plain word is quoted (a key holding a line
    break must not break the one-line error)."""
    parts = [str(part) if str(part).isprintable() and " " not in str(part) and str(part) else repr(part)
             for part in loc]
    return ".".join(parts)
