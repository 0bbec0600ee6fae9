"""Property-based fuzzing of the loaders a user feeds files to: the profile (YAML), the mapping CSVs, the seed
recipe and the fault profile. Whatever the bytes, each ends in a result or in one UserError (one line, naming the
file), never another exception, a traceback or a hang.

Inputs are the shipped files mutated (lines dropped, duplicated, characters swapped for YAML's and CSV's special
ones), documents built from random YAML values, and raw bytes. Examples are bounded and every load runs under an
alarm, so a loader that hangs fails here instead of hanging the suite.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.errors import UserError
from harness.profile import load_profile
from harness.profile.mappings import load_mappings
from harness.run.faults import load_fault_profile
from harness.seeder import load_recipe

ROOT = Path(__file__).resolve().parents[1]
PROFILE = (ROOT / "fixtures" / "profiles" / "default.yaml").read_text(encoding="utf-8")
RECIPE = (ROOT / "fixtures" / "seed" / "representative.yaml").read_text(encoding="utf-8")
CONTACTS = (ROOT / "fixtures" / "mappings" / "contacts.csv").read_text(encoding="utf-8")
FAULTS = ("seed: 5\nsalesforce: {unavailable: 0.06, limit_exceeded: 0.05, slow: 0.02, delay_ms: 100,\n"
          "             connection_resets: {share: 0.06, when: after}}\nhubspot:\n"
          "  faults: {share: 0.12, kinds: ['429', '502', '503', 'slow'], slow_ms: 100}\n"
          "  connection_resets: {share: 0.06, when: after}\nconnector: {pause_seconds: 1, every_seconds: 5}\n")
SECONDS_PER_LOAD = 20  # the slowest honest load is well under a second; a hang is caught, not waited out
FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

SPECIAL = ["&a", "*a", "<<: *a", ": ", "- ", "{", "}", "[", "]", "'", '"', "#", "!!python/object:os.system", "\t",
           "\x00", "\ufeff", "%YAML 1.1", "---", "...", "? ", "|", ">", ",", "\n", "\r", "~", ".inf", ".nan", "-1",
           "1e999", "0x1F", "2026-13-45", "yes", "null", "é", "𝔘"]


class Hang(Exception):
    pass


@contextlib.contextmanager
def no_hang(what: str) -> Iterator[None]:
    def ring(_signum: int, _frame: object) -> None:
        raise Hang(f"{what} took more than {SECONDS_PER_LOAD}s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(SECONDS_PER_LOAD)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def ends_cleanly(load, path: Path) -> None:
    """A result, or one UserError naming the file in one line; anything else fails the property."""
    with no_hang(path.name):
        try:
            load(path)
        except UserError as error:
            message = str(error)
            assert "\n" not in message.strip(), message
            assert path.name in message or "environment" in message, message


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """The file with a few lines dropped or repeated and a few spots overwritten with YAML/CSV special tokens."""
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(0, 4))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "repeat", "insert", "splice"]))
        if action == "drop":
            del lines[index]
        elif action == "repeat":
            lines.insert(index, lines[index])
        elif action == "insert":
            lines.insert(index, draw(st.sampled_from(SPECIAL)) + draw(st.text(max_size=20)) + "\n")
        else:
            line = lines[index]
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(st.sampled_from(SPECIAL)) + line[at:]
    return "".join(lines)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=30)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """A profile's folder layout (profiles/, mappings/, seed/), as the loaders resolve relative paths in it."""
    folder = tmp_path_factory.mktemp("fuzz")
    for part in ("mappings", "seed"):
        shutil.copytree(ROOT / "fixtures" / part, folder / part)
    (folder / "profiles").mkdir()
    return folder


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
    return path


def _text_or_bytes() -> st.SearchStrategy:
    return st.binary(max_size=400) | st.text(max_size=400)


@FUZZ
@given(st.one_of(mutated(PROFILE), yaml_values.map(lambda v: yaml.safe_dump({"name": "x", "extra": v})),
                 yaml_values.map(yaml.safe_dump), _text_or_bytes()))
def test_any_profile_ends_in_a_profile_or_one_clean_error(workspace, content):
    ends_cleanly(load_profile, write(workspace / "profiles" / "profile.yaml", content))


@FUZZ
@given(st.one_of(mutated(RECIPE), yaml_values.map(lambda v: yaml.safe_dump({"regions": v})),
                 yaml_values.map(yaml.safe_dump), _text_or_bytes()))
def test_any_seed_recipe_ends_in_a_recipe_or_one_clean_error(workspace, content):
    ends_cleanly(load_recipe, write(workspace / "seed" / "fuzzed.yaml", content))


@FUZZ
@given(st.one_of(mutated(FAULTS),
                 st.dictionaries(st.sampled_from(["seed", "salesforce", "hubspot", "connector", "other"]), yaml_values,
                                 max_size=4).map(yaml.safe_dump),
                 _text_or_bytes()))
def test_any_fault_profile_ends_in_a_fault_profile_or_one_clean_error(workspace, content):
    path = write(workspace / "faults.yaml", content)
    ends_cleanly(lambda p: load_fault_profile(str(p)), path)


csv_cells = st.lists(st.sampled_from([*"abcAB_;, \"\n\r\t\x00é", "Two-way", "Lead", "Contact", "text", "email"]),
                     max_size=6).map("".join)


@FUZZ
@given(st.one_of(mutated(CONTACTS),
                 st.lists(st.lists(csv_cells, max_size=9), max_size=6).map(
                     lambda rows: "\n".join(",".join(r) for r in [CONTACTS.splitlines()[0].split(","), *rows])),
                 _text_or_bytes()))
def test_any_mapping_csv_ends_in_mappings_or_one_clean_error(workspace, content):
    path = write(workspace / "mappings" / "fuzzed.csv", content)
    ends_cleanly(lambda p: load_mappings(p, "contacts"), path)
