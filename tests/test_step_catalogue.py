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
