"""YAML the harness reads (profiles, seed recipes, fault profiles): a hostile or careless file is one clear line.

PyYAML's safe loader already refuses arbitrary Python objects. It still accepts three things a user never means:
- a duplicated key, where the last one silently wins (a second `target:` switched a run from the twin to real
  sandboxes);
- aliases that expand without end: a "billion laughs" document is a few hundred bytes whose constructed data shares
  references, but anything that walks it (line positions, pydantic) expands it and never finishes, and an alias of
  its own parent makes a cycle;
- values its resolvers crash on (`reference_date: 2026-13-45` is an implicit timestamp that raises ValueError).
This loader composes the node tree once, refuses those with the file and line, then constructs the data from the
same nodes. Line positions are indexed from the nodes too, without following an alias a second time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from harness.errors import UserError

MAX_ALIASES = 100  # a profile or recipe needs none; a handful of anchors for shared blocks is plenty
MAX_NODES = 200_000  # the document as it would be after every alias is expanded (the shipped profile: ~1,500)


class _Loader(yaml.SafeLoader):
    """The safe loader, counting alias uses as they are composed (the cheap bound, before anything expands)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise _Refused(mark.line + 1, f"more than {MAX_ALIASES} aliases (*name); write the values out")
        return super().compose_node(parent, index)

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            raise _Refused(node.start_mark.line + 1, f"{node.value!r} is not a valid date; use YYYY-MM-DD") from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


class _Refused(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


MAX_BYTES = 5_000_000  # a settings file is kilobytes; /dev/zero or a log given by mistake must not be read whole


def _read(path: Path) -> str:
    try:
        if path.exists() and not path.is_dir() and not path.is_file():
            raise UserError(f"{path}: not a regular file; give the path of a YAML file")
        if path.is_file() and path.stat().st_size > MAX_BYTES:
            raise UserError(f"{path}: {path.stat().st_size:,} bytes, more than a settings file holds "
                            f"({MAX_BYTES:,}); check the path")
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(f"{path}: file not found; check the path (relative paths are resolved from the current "
                        "directory)") from None
    except UnicodeDecodeError as error:
        raise UserError(f"{path}: not UTF-8 text (byte {error.start}); save the file as UTF-8") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a directory; give the path of a YAML file") from None
    except OSError as error:
        raise UserError(f"{path}: cannot be read ({error.strerror}); check the path and its permissions") from None


def _check(root: yaml.Node | None) -> dict[tuple[Any, ...], int]:
    """Duplicate keys, cycles and the expanded size, in one pass that visits each node once; returns the line of
    every key path (paths through an alias stop at the alias: its target's lines are where it was written)."""
    lines: dict[tuple[Any, ...], int] = {}
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    # An explicit stack, not recursion: a 100,000-deep document must be refused, not overflow Python's stack.
    stack: list[tuple[yaml.Node, tuple[Any, ...], bool]] = [(root, (), False)] if root is not None else []
    while stack:
        node, path, finished = stack.pop()
        key = id(node)
        if finished:
            open_nodes.discard(key)
            children = _children(node)
            sizes[key] = 1 + sum(sizes.get(id(child), 0) for _step, child, _line in children)
            if sizes[key] > MAX_NODES:
                raise _Refused(node.start_mark.line + 1, f"aliases expand to more than {MAX_NODES:,} values; write "
                                                         "the values out instead of nesting aliases")
            continue
        lines.setdefault(path, node.start_mark.line + 1)
        if key in open_nodes:
            raise _Refused(node.start_mark.line + 1, "an alias refers to the block that contains it (a cycle); "
                                                     "remove the alias")
        if key in sizes:
            continue  # an alias of a node already checked: its size is known, its lines are indexed
        if isinstance(node, yaml.MappingNode):
            _refuse_duplicates(node)
        open_nodes.add(key)
        stack.append((node, path, True))
        for step, child, line in reversed(_children(node)):
            here = path + (step,)
            lines.setdefault(here, line)
            stack.append((child, here, False))
    return lines


def _children(node: yaml.Node) -> list[tuple[Any, yaml.Node, int]]:
    """(path step, child node, the line a user sees it on: a mapping value's key line, an item's own line)."""
    if isinstance(node, yaml.MappingNode):
        return [(key.value if isinstance(key, yaml.ScalarNode) else index, value, key.start_mark.line + 1)
                for index, (key, value) in enumerate(node.value)]
    if isinstance(node, yaml.SequenceNode):
        return [(index, item, item.start_mark.line + 1) for index, item in enumerate(node.value)]
    return []


def _refuse_duplicates(node: yaml.MappingNode) -> None:
    seen: dict[str, int] = {}
    for key, _value in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue
        line = key.start_mark.line + 1
        if key.value in seen:
            raise _Refused(line, f"duplicate key {key.value!r} (first at line {seen[key.value]}); keep one, the "
                                 "last one would silently win")
        seen[key.value] = line


def load_yaml(path: Path) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """(data, {key path: line}) of a YAML file, or one UserError naming the file and line."""
    path = Path(path)
    text = _read(path)
    loader = None
    try:
        loader = _Loader(text)  # its reader already refuses control characters
        node = loader.get_single_node()
        lines = _check(node)
        data = loader.construct_document(node) if node is not None else None
    except _Refused as refused:
        raise UserError(f"{path}:{refused.line}: {refused.message}") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f":{mark.line + 1}" if mark else ""
        detail = " ".join(str(error.problem or error.context or "syntax error").split())
        raise UserError(f"{path}{line}: invalid YAML ({detail}); fix the syntax at that line") from None
    except yaml.reader.ReaderError as error:
        line = text[:error.position].count("\n") + 1 if isinstance(error.position, int) else 1
        raise UserError(f"{path}:{line}: invalid YAML (character #x{error.character:04x} is not allowed in YAML); "
                        "remove it or save the file as plain UTF-8 text") from None
    except yaml.YAMLError as error:
        detail = " ".join(str(error).split())
        raise UserError(f"{path}: invalid YAML ({detail}); fix the syntax") from None
    except RecursionError:
        raise UserError(f"{path}: nested too deeply to be a settings file; flatten it") from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, lines
