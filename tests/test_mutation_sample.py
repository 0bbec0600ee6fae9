"""Configuration mutation testing in `make test`: a fixed sample of single-change mutants of `healthy`, each judged
by whether the contract check names it (harness/mutation; `make mutants` runs them all).

The sample spreads over every mutation class, so a clause family that stops reporting its mutants shows here, not
only in the full score. The floor is the score this sample reached when it was last measured, minus one mutant:
it may rise, never fall unnoticed (docs/mutation.md lists the survivors and why they survive).
"""

from __future__ import annotations

import pytest

from harness.mutation.__main__ import DEFAULT_PROFILE, mutants_of, score
from harness.mutation.judge import judge, read_fixture
from harness.profile import load_profile
from harness.twin.paths import org_dir

SAMPLE = 30
FLOOR = 29 / 30  # the contract check named all 30 when last measured (2026-12-03), less one mutant

pytestmark = pytest.mark.slow


def test_a_fixed_sample_of_mutants_is_caught_by_the_contract_check():
    profile = load_profile(DEFAULT_PROFILE)
    mutants = mutants_of("healthy", profile, None, SAMPLE)
    assert len(mutants) >= SAMPLE
    assert len({m.kind for m in mutants}) >= 8, "the sample must cover the mutation classes"
    fixture = read_fixture(org_dir("healthy"))
    judgements = [judge(mutant, fixture, profile) for mutant in mutants]
    killed, valid, ratio = score(judgements)
    survivors = [f"{j.mutant}: {j.evidence}" for j in judgements if j.outcome == "survived"]
    assert valid >= SAMPLE - 2, [j.evidence for j in judgements if j.outcome == "invalid"]
    assert ratio >= FLOOR, f"{killed}/{valid} killed; survivors:\n" + "\n".join(survivors)


def test_the_unchanged_org_is_not_a_mutant():
    """The contract check on `healthy` itself differs nowhere: otherwise every mutant would look killed."""
    from harness.conformance.clauses import Status
    from harness.conformance.engine import check_conformance
    from harness.sandboxes import connect
    from harness.sandboxes.twin_start import start_twin
    from harness.sandboxes.twin_target import twin_credentials

    profile = load_profile(DEFAULT_PROFILE)
    with start_twin("healthy", sync="manual") as twin:
        report = check_conformance(profile, connect(twin_credentials(twin.info())))
    differing = [f"{c.kind}: {c.item}: {c.actual}" for c in report.clauses if c.status is Status.DIFFERS]
    assert differing == []
