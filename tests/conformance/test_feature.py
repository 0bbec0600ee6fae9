"""The conformance feature judges every clause family the engine has, each in its own scenario."""

from __future__ import annotations

import re

from harness.conformance import CHECKS, FAMILIES
from harness.uat.conformance import FAMILY_WORDS

from .mutants import ROOT

FEATURE = ROOT / "features" / "configuration_conformance.feature"


def test_every_family_has_its_scenario_and_every_scenario_a_family():
    judged = re.findall(r"Then every clause about (.+) conforms to the profile", FEATURE.read_text(encoding="utf-8"))
    assert sorted(FAMILY_WORDS[words] for words in judged) == sorted(FAMILIES) == sorted(CHECKS)
