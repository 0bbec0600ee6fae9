"""Before a run writes anything: every feature file parses and every step in it has a step definition.

pytest-bdd finds both problems too, but only once the suite runs, after seeding, and as a failed test with a
traceback. A QA lead editing a feature file should hear about a typo in one line, before the sandboxes are
touched. The parser is pytest-bdd's own and the step definitions are the registry `uat steps` reads
(harness/run/step_catalog.py), so this check and the suite cannot disagree.
"""

from __future__ import annotations

from pathlib import Path

from harness.errors import UserError
from harness.paths import PROJECT_ROOT

FEATURES_DIR = PROJECT_ROOT / "features"


def _where(path: Path, line: int | None = None) -> str:
    try:
        shown = path.resolve().relative_to(PROJECT_ROOT)
    except ValueError:
        shown = path
    return f"{shown}:{line}" if line else str(shown)


def _definitions() -> list:
    from pytest_bdd.steps import step_function_context_registry

    from harness.run.step_catalog import catalogue

    catalogue()  # imports the step modules conftest.py wires in, which registers their steps
    return [c for c in step_function_context_registry.values() if c.step_func.__module__.startswith("steps.")]


def _scenarios(template: object) -> list:
    """The scenario, or one per Examples row of an outline (steps with <placeholders> filled in)."""
    contexts = [c for examples in getattr(template, "examples", []) or [] for c in examples.as_contexts()]
    return [template.render(c) for c in contexts] if contexts else [template.render({})]  # type: ignore[attr-defined]


def check_suite(features_dir: Path = FEATURES_DIR) -> int:
    """Raise UserError naming file and line for a feature that does not parse or a step nothing defines.
    Returns the number of scenarios checked."""
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
            for scenario in _scenarios(template):
                checked += 1
                for step in scenario.steps:
                    if not any(d.type in (None, step.type) and d.parser.is_matching(step.name) for d in definitions):
                        raise UserError(f"{_where(path, step.line_number)}: no step definition matches "
                                        f"'{step.keyword} {step.name}'; use a step listed by `uat steps` or add "
                                        "one under steps/")
    return checked
