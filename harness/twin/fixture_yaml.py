"""The org fixtures' YAML, read safely: a small copy of the harness's safe loader (the twin imports nothing of the
harness). A duplicated key (the last one silently winning), aliases past a small bound or expanding without end,
and nesting too deep to be a fixture are refused; every error is one `yaml.YAMLError` whose message starts with
the line, so the fixture loaders' own `except yaml.YAMLError` tell the user where in one line."""

from __future__ import annotations

from typing import Any

import yaml

MAX_ALIASES = 100
MAX_NODES = 200_000  # values after every alias is expanded


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _refused(self.peek_event().start_mark, f"more than {MAX_ALIASES} aliases; write the values out")
        return super().compose_node(parent, index)


def _refused(mark: Any, message: str) -> yaml.YAMLError:
    return yaml.YAMLError(f"line {mark.line + 1}: {message}")


def _check(root: yaml.Node) -> None:
    """Duplicate keys, alias cycles and the expanded size, visiting each node once (no recursion)."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        children = [v for _k, v in node.value] if isinstance(node, yaml.MappingNode) else \
            list(node.value) if isinstance(node, yaml.SequenceNode) else []
        if finished:
            open_nodes.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes.get(id(child), 0) for child in children)
            if sizes[id(node)] > MAX_NODES:
                raise _refused(node.start_mark, f"aliases expand to more than {MAX_NODES:,} values")
            continue
        if id(node) in open_nodes:
            raise _refused(node.start_mark, "an alias refers to the block that contains it")
        if id(node) in sizes:
            continue
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, _value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    if key.value in seen:
                        raise _refused(key.start_mark, f"duplicate key {key.value!r} (first at line {seen[key.value]})")
                    seen[key.value] = key.start_mark.line + 1
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(children))


def safe_load(text: str) -> Any:
    """yaml.safe_load with the checks above; raises yaml.YAMLError with a one-line message starting `line N:`."""
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return None
        _check(node)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        detail = " ".join(str(error.problem or error.context or "syntax error").split())
        raise yaml.YAMLError(f"line {mark.line + 1}: {detail}" if mark else detail) from None
    except yaml.reader.ReaderError as error:
        raise yaml.YAMLError(f"character #x{error.character:04x} is not allowed in YAML") from None
    except (RecursionError, ValueError) as error:
        raise yaml.YAMLError(f"not a fixture ({type(error).__name__}: nested too deeply or an impossible value)") \
            from None
    finally:
        if loader is not None:
            loader.dispose()
