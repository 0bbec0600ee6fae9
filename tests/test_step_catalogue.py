"""docs/scenarios.md lists exactly the steps the suite has: generated from pytest-bdd's registry, checked here."""

from __future__ import annotations

from harness.run.step_catalog import BEGIN, END, catalogue, document_path, render_markdown


def test_the_documented_step_catalogue_is_current():
    document = document_path().read_text(encoding="utf-8")
    assert BEGIN in document and END in document
    current = render_markdown(catalogue())
    assert current in document, "docs/scenarios.md is stale: run `uat steps --write`"


def test_every_step_used_by_a_feature_file_exists():
    import re

    from pytest_bdd.parser import FeatureParser

    from harness.paths import PROJECT_ROOT

    docs = catalogue()
    patterns = [(d.kind, d.text) for d in docs]
    missing = []
    for path in sorted((PROJECT_ROOT / "features").glob("*.feature")):
        feature = FeatureParser(str(path.parent), path.name).parse()
        background = list(feature.background.steps) if feature.background else []
        for step in background + [s for scenario in feature.scenarios.values() for s in scenario.steps]:
            text = re.sub(r"<(\w+)>", "x", step.name)
            if not any(kind in {step.type, "*"} and _matches(pattern, text) for kind, pattern in patterns):
                missing.append(f"{path.name}: {step.type} {step.name}")
    assert not missing, missing


def _matches(pattern: str, text: str) -> bool:
    import parse

    return pattern == text or parse.compile(pattern).parse(text) is not None


def _run_fixtures() -> set[str]:
    """The fixtures the run plugin offers every step (world, profile, sandboxes...), read from its source."""
    import ast

    from harness.paths import PROJECT_ROOT

    tree = ast.parse((PROJECT_ROOT / "harness" / "run" / "plugin.py").read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)
            and any("fixture" in ast.unparse(decorator) for decorator in node.decorator_list)}


def test_every_fixture_a_step_takes_is_produced_earlier_in_its_scenario():
    """Steps hand what they produce to later steps as target fixtures (`contact_pair`, `converted_lead`...). A step
    taking a name nothing before it produced fails only when its scenario runs, on a live sandbox: caught here."""
    import inspect
    import re

    from pytest_bdd.parser import FeatureParser
    from pytest_bdd.steps import step_function_context_registry

    from harness.paths import PROJECT_ROOT

    catalogue()  # imports the step modules, which register their step definitions
    contexts = [c for c in step_function_context_registry.values() if c.step_func.__module__.startswith("steps.")]
    run_fixtures = _run_fixtures()
    assert "world" in run_fixtures
    problems = []
    for path in sorted((PROJECT_ROOT / "features").glob("*.feature")):
        feature = FeatureParser(str(path.parent), path.name).parse()
        background = list(feature.background.steps) if feature.background else []
        for scenario in feature.scenarios.values():
            available = set(run_fixtures)
            for step in background + list(scenario.steps):
                text = re.sub(r"<(\w+)>", "x", step.name)
                context = next((c for c in contexts if c.type in {step.type, None} and c.parser.is_matching(text)), None)
                if context is None:
                    continue  # test_every_step_used_by_a_feature_file_exists reports it
                parsed = set(context.parser.parse_arguments(text) or {})
                wanted = set(inspect.signature(context.step_func).parameters) - parsed
                missing = sorted(wanted - available)
                if missing:
                    problems.append(f"{path.name}: {scenario.name}: '{step.type} {step.name}' takes {missing}, which "
                                    "no earlier step produces")
                if context.target_fixture:
                    available.add(context.target_fixture)
    assert not problems, "\n".join(problems)
