"""`python -m harness.mutation [--org healthy] [--sample N] [--workers N] [--class C ...] [--out FILE]`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from harness.errors import UserError
from harness.mutation.judge import Judgement, judge, judge_by_run, read_fixture
from harness.mutation.mutants import GENERATORS, Mutant, generate, sample
from harness.paths import FIXTURES
from harness.profile import Profile, load_profile

DEFAULT_PROFILE = FIXTURES / "profiles" / "default.yaml"


def owned_fields(profile: Profile) -> dict[str, set[tuple[str, str]]]:
    """System of record -> the (HubSpot object, property) pairs of mapped fields the profile gives it."""
    owned: dict[str, set[tuple[str, str]]] = {}
    for mapping in profile.field_mappings:
        row = profile.ownership(mapping.hubspot_object, mapping.hubspot_property)
        if row is not None:
            owned.setdefault(str(row.system_of_record), set()).add((mapping.hubspot_object, mapping.hubspot_property))
    return owned


def mutants_of(org: str, profile: Profile, classes: list[str] | None, size: int | None) -> list[Mutant]:
    from harness.twin.paths import org_dir  # deferred: only the org's folder is needed, not the twin

    fixture = read_fixture(org_dir(org))
    everything = generate(fixture, owned_fields(profile), {o.email for o in profile.owners}, classes)
    return sample(everything, size) if size else everything


def _judge_one(args: tuple[str, str, str, str | None, bool]) -> Judgement:
    org, mutant_id, profile_path, classes, confirm = args
    profile = load_profile(profile_path)
    mutant = next(m for m in mutants_of(org, profile, classes.split(",") if classes else None, None)
                  if m.id == mutant_id)
    from harness.twin.paths import org_dir  # deferred: see mutants_of

    judged = judge(mutant, read_fixture(org_dir(org)), profile)
    if judged.outcome == "survived" and confirm:
        return judge_by_run(mutant, read_fixture(org_dir(org)), Path(profile_path))
    return judged


def score(judgements: list[Judgement]) -> tuple[int, int, float]:
    counts = Counter(j.outcome for j in judgements)
    valid = counts["killed"] + counts["survived"]  # invalid and equivalent mutants are not counted
    return counts["killed"], valid, (counts["killed"] / valid if valid else 0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.mutation", description=__doc__)
    parser.add_argument("--org", default="healthy")
    parser.add_argument("--profile", default=str(DEFAULT_PROFILE))
    parser.add_argument("--sample", type=int, default=None, help="judge a fixed, spread sample of N mutants")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--class", dest="classes", action="append",
                        choices=sorted({*GENERATORS, "automation", "hubspot_workflow", "owner_email"}))
    parser.add_argument("--out", default=None, help="write every judgement as JSON here")
    parser.add_argument("--list", action="store_true", help="list the mutants, judge nothing")
    parser.add_argument("--contract-only", action="store_true",
                        help="judge by the contract check alone (no whole `uat run` for the mutants it does not name)")
    options = parser.parse_args(argv)
    try:
        profile = load_profile(options.profile)
        mutants = mutants_of(options.org, profile, options.classes, options.sample)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if options.list:
        for mutant in mutants:
            print(f"{mutant.kind:16} {mutant.id}")
        print(f"{len(mutants)} mutants")
        return 0
    started = time.monotonic()
    classes = ",".join(options.classes) if options.classes else None
    jobs = [(options.org, m.id, options.profile, classes, not options.contract_only) for m in mutants]
    with ProcessPoolExecutor(max_workers=max(1, options.workers)) as pool:
        judgements = []
        for done, judgement in enumerate(pool.map(_judge_one, jobs), start=1):
            judgements.append(judgement)
            print(f"[{done}/{len(jobs)}] {judgement.outcome:8} {judgement.mutant}", flush=True)
    killed, valid, ratio = score(judgements)
    by_kind: dict[str, Counter] = {}
    for j in judgements:
        by_kind.setdefault(j.kind, Counter())[j.outcome] += 1
    print(f"\nmutation score: {killed}/{valid} = {ratio:.1%} ({len(judgements) - valid} invalid or equivalent, "
          f"{time.monotonic() - started:.0f} s, {options.workers} workers)")
    for kind, counts in sorted(by_kind.items()):
        print(f"  {kind:16} killed {counts['killed']:3}  survived {counts['survived']:3}  invalid {counts['invalid']:3}"
              f"  equivalent {counts['equivalent']:3}")
    for j in judgements:
        if j.outcome in {"equivalent", "invalid"}:
            print(f"  {j.outcome}: {j.mutant}: {j.evidence}")
    survivors = [j for j in judgements if j.outcome == "survived"]
    if survivors:
        print("\nsurvivors:")
        for j in survivors:
            print(f"  {j.mutant}: {j.description} — {j.evidence}")
    if options.out:
        Path(options.out).write_text(json.dumps({"killed": killed, "valid": valid, "score": ratio,
                                                 "judgements": [j.to_json() for j in judgements]}, indent=2),
                                     encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
