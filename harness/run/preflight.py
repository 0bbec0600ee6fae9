"""Before a run writes anything: every feature file parses and every step in it has a step definition.

pytest-bdd finds both problems too, but only once the suite runs, after seeding, and as a failed test with a
traceback. A QA lead editing a feature file should hear about a typo in one line, before the sandboxes are
touched. The parser is pytest-bdd's own and the step definitions are the registry `uat steps` reads
(harness/run/step_catalog.py), so this check and the suite cannot disagree.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.errors import UserError
from harness.paths import PROJECT_ROOT

if TYPE_CHECKING:  # annotations only: the profile model is not needed at run time here
    from harness.profile import Profile

FEATURES_DIR = PROJECT_ROOT / "features"


def _where(path: Path, line: int | None = None) -> str:
    try:
        shown = path.resolve().relative_to(PROJECT_ROOT)
    except ValueError:
        shown = path
    return f"{shown}:{line}" if line else str(shown)


def _definitions() -> list:
    # deferred: pytest-bdd and the step modules load only when the suite is checked, not on every `uat` command
    from pytest_bdd.steps import step_function_context_registry

    from harness.run.step_catalog import catalogue  # deferred: it imports every step module

    catalogue()  # imports the step modules conftest.py wires in, which registers their steps
    return [c for c in step_function_context_registry.values() if c.step_func.__module__.startswith("steps.")]


def _scenarios(template: object) -> list:
    """The scenario, or one per Examples row of an outline (steps with <placeholders> filled in)."""
    contexts = [c for examples in getattr(template, "examples", []) or [] for c in examples.as_contexts()]
    return [template.render(c) for c in contexts] if contexts else [template.render({})]  # type: ignore[attr-defined]


def check_suite(features_dir: Path = FEATURES_DIR) -> int:
    """Raise UserError naming file and line for a feature that does not parse or a step nothing defines.
    Returns the number of scenarios checked."""
    # deferred: as above, pytest-bdd's parser only when the suite is checked
    from pytest_bdd.exceptions import GherkinParseError
    from pytest_bdd.parser import FeatureParser

    files = sorted(features_dir.rglob("*.feature"))
    if not files:
        raise UserError(f"{_where(features_dir)}: no .feature files; the suite needs at least one")
    definitions = _definitions()
    checked = 0
    for path in files:
        try:
            feature = FeatureParser(str(path.parent), path.name).parse()
        except GherkinParseError as error:
            detail = str(error.message).splitlines()[0].strip()
            raise UserError(f"{_where(path, error.line)}: not valid Gherkin ({detail}); fix the line "
                            f"{error.line_content.strip()!r}") from None
        except UnicodeDecodeError:
            raise UserError(f"{_where(path)}: not UTF-8 text; save the feature file as UTF-8") from None
        except Exception as error:  # pytest-bdd's parser fails on some shapes without a location
            raise UserError(f"{_where(path)}: cannot be read as a feature file ({type(error).__name__}: {error}); "
                            "check it starts with 'Feature:'") from None
        for template in feature.scenarios.values():
            if not getattr(template, "_steps", template.steps):  # its own (not the Background's): else a "pass"
                raise UserError(f"{_where(path, template.line_number)}: scenario {template.name!r} has no steps; add "
                                "its Given/When/Then or delete it")
            for scenario in _scenarios(template):
                checked += 1
                for step in scenario.steps:
                    if not any(d.type in (None, step.type) and d.parser.is_matching(step.name) for d in definitions):
                        raise UserError(f"{_where(path, step.line_number)}: no step definition matches "
                                        f"'{step.keyword} {step.name}'; use a step listed by `uat steps` or add "
                                        "one under steps/")
    return checked


# -- the run's options and settings, checked before any connection and any write ---------------------------------
RUN_ID = re.compile(r"\d{8}-\d{6}-[0-9a-f]{4}")
SEED_CEILING = 2_000  # records a run may seed into a shared sandbox without --allow-large (the shipped recipe: 240)
SEED_LIMIT = 1_000_000  # beyond a sandbox's storage, with or without --allow-large
MAX_WORKERS = 64


def check_run_id(run_id: str, option: str = "--resume") -> str:
    """A run id names a folder under reports/: only the shape `uat run` makes (no path, no `..`)."""
    if not RUN_ID.fullmatch(run_id):
        raise UserError(f"{option} {run_id!r}: not a run id; give the id `uat run` printed, like 20260630-142501-3f9a "
                        "(a folder name under reports/)")
    return run_id


def check_workers(value: str | None) -> None:
    """pytest-xdist's `-n`: auto, logical or a number of processes."""
    if value is None or value in {"auto", "logical"}:
        return
    if not value.isdigit() or not 0 <= int(value) <= MAX_WORKERS:
        raise UserError(f"-n {value}: use auto, logical or a number of workers from 0 to {MAX_WORKERS}")
    if int(value) > 0 and importlib.util.find_spec("xdist") is None:
        raise UserError(f"-n {value}: parallel workers need pytest-xdist; install the dev extras or drop -n")


def check_expression(option: str, expression: str | None) -> None:
    """`-m` and `-k` compiled by pytest's own expression parser, so a typo is told now, not after seeding."""
    if expression is None:
        return
    from _pytest.mark import expression as pytest_expression  # deferred: pytest's parser, only for an expression

    # pytest 9's parser raises SyntaxError, pytest 8's its own ParseError (both carry column and message)
    refused = (SyntaxError, *[e for e in [getattr(pytest_expression, "ParseError", None)] if e is not None])

    if not expression.strip():
        raise UserError(f"{option} '': an empty expression; give one (e.g. {option} \"critical and not slow\") or "
                        "drop the option")
    try:
        pytest_expression.Expression.compile(expression)
    except refused as error:
        column = getattr(error, "column", None) or getattr(error, "offset", None)
        message = getattr(error, "message", None) or error.msg
        raise UserError(f"{option} {expression!r}: not a valid expression (column {column}: {message}); use names "
                        "joined by and, or, not and parentheses") from None


def check_seed_size(recipe: Any, scale: float, allow_large: bool, where: str) -> None:
    """A seed aimed at a shared sandbox has a ceiling; `--allow-large` lifts it (not past what any sandbox holds)."""
    estimate = recipe.estimated_records(scale)
    ceiling = SEED_LIMIT if allow_large else SEED_CEILING
    if estimate > ceiling:
        shown = f"about {estimate:,.0f}" if estimate < 1e15 else "an unbounded number of"
        lift = ("; lower the counts or seed.scale" if allow_large else
                "; lower the counts or seed.scale, or pass --allow-large if the sandbox is meant to take them")
        raise UserError(f"{where}: plans {shown} records, over the ceiling of {ceiling:,}{lift}")


def check_owners(recipe: Any, profile: Profile) -> None:
    """A recipe's region owners are people the profile names as owners: anyone else is a typo or a person the
    governance does not know, and their records would silently keep the API user as owner."""
    known = {owner.email.strip().lower() for owner in getattr(profile, "owners", None) or []}
    if not known:
        return
    for region, spec in recipe.regions.items():
        for index, email in enumerate(spec.owners):
            if email.strip().lower() not in known:
                raise UserError(f"{recipe.source}:{recipe.line('regions', region, 'owners', index)}: "
                                f"regions.{region}.owners: {email!r} is not one of the profile's owners "
                                f"({profile.source}); add them to `owners` there or fix the address")
