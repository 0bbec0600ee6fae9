"""A full `uat run` on the healthy twin at a larger seed scale: wall time, peak memory, and the run's phase table.

The shipped profile is copied to a temporary folder with only `seed.scale` changed (its relative paths made
absolute), then `uat run --profile <copy>` runs as in bench_run.py. Targets (issue 19, on 2 cores): scale 10 within
45 s, scale 50 (12,000 records) within 60 s and 1 GB, GO, API calls per phase within 1.2 x the batch minimum.

Usage: python bench/bench_run_scale.py [SCALE ...]   (default: 1 10 50)
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "fixtures" / "profiles" / "default.yaml"
sys.path.insert(0, str(Path(__file__).parent))

from bench_run import measured_run  # noqa: E402


def scaled_profile(scale: float, folder: Path) -> Path:
    """The shipped profile with `seed.scale` set and every `../` path made absolute."""
    text = PROFILE.read_text(encoding="utf-8")
    text = re.sub(r"(?<=[\s:])\.\./", str(PROFILE.parent.parent) + "/", text)
    text, count = re.subn(r"(?m)^(\s+scale:\s*)[0-9.]+", rf"\g<1>{scale:g}", text)
    if count != 1:
        raise SystemExit(f"{PROFILE}: expected one seed.scale line, found {count}")
    path = folder / f"scale-{scale:g}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def batches(counts: dict[str, int], size: int) -> int:
    return sum(-(-n // size) for n in counts.values() if n)


def minimum_calls(run_dir: Path) -> dict[str, dict[str, int]]:
    """The fewest calls the platforms' batch sizes allow for what seed, reconciliation and cleanup had to touch
    (docs/run-cost.md): HubSpot 100 records a batch call, 1,000 an associations read; Salesforce 200 a call."""
    manifest = json.loads((run_dir / "seed-manifest.json").read_text(encoding="utf-8"))
    created = manifest["created"]
    hs = {k: v for k, v in created.items() if k.startswith("hubspot.")}
    sf = {k: v for k, v in created.items() if k.startswith("salesforce.")}
    # seed: the records in batches, plus one schema read per object (describe, properties)
    out = {"seed": {"hubspot": batches(hs, 100) + len(hs), "salesforce": batches(sf, 200) + len(sf)}}
    report = json.loads((run_dir / "reconciliation" / "report.json").read_text(encoding="utf-8"))
    objects = report["objects"]
    contacts = next((o["hubspot_count"] for o in objects if o["hubspot_object"] == "contacts"), 0)
    # reconciliation: both sides of every pair by id, the owners, and the associations of the contacts that lead
    # to the companies and deals the connector made (one read per associated type)
    out["reconciliation"] = {
        "hubspot": batches({o["name"]: o["hubspot_count"] for o in objects}, 100) + 1 + 2 * -(-contacts // 1000),
        "salesforce": batches({o["name"]: o["salesforce_count"] for o in objects}, 200) + 1}
    deleted: dict[str, int] = {}
    for line in (run_dir / "cleanup.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        deleted[f"{item['system']}.{item['object']}"] = deleted.get(f"{item['system']}.{item['object']}", 0) + 1
    people = sum(v for k, v in deleted.items() if k in ("salesforce.Lead", "salesforce.Contact"))
    hs_contacts = deleted.get("hubspot.contacts", 0)
    # cleanup: every record deleted in batches, the run's people read once on each side (links, e-mails, Tasks; SOQL
    # on Id: ~500 ids a query URI),
    # the contacts' associations to the 5 activity types and 3 linked objects, the candidates' links read once
    linked = sum(deleted.get(f"hubspot.{o}", 0) for o in ("companies", "deals", "tickets"))
    out["cleanup"] = {
        "hubspot": batches({k: v for k, v in deleted.items() if k.startswith("hubspot.")}, 100)
        + -(-people // 100) + 8 * -(-hs_contacts // 1000) + -(-linked // 100),
        "salesforce": batches({k: v for k, v in deleted.items() if k.startswith("salesforce.")}, 200)
        + 2 * -(-people // 500)}
    return out


def run(scale: float) -> None:
    with tempfile.TemporaryDirectory(prefix="uat-scale-") as folder:
        profile = scaled_profile(scale, Path(folder))
        output, code, elapsed, peak = measured_run(["--profile", str(profile), "--allow-large"])
    verdict = next((line.split()[1] for line in output.splitlines() if line.startswith("verdict:")), "?")
    print(f"uat run scale {scale:g}: wall_seconds={elapsed:.1f} peak_rss_mb={peak:.0f} exit={code} "
          f"verdict={verdict}")
    if verdict == "?":
        print("\n".join(output.strip().splitlines()[-15:]))
    run_dir = next((m.group(1) for m in re.finditer(r"run \S+: (\S+)", output)), None)
    signoff = Path(run_dir) / "signoff.json" if run_dir else None
    if signoff and signoff.exists():
        timings = json.loads(signoff.read_text(encoding="utf-8")).get("timings") or []
        for phase in timings:
            print("  " + json.dumps(phase))
        used = {t["phase"]: t["calls"] for t in timings}
        for phase, floor in minimum_calls(Path(run_dir)).items():
            ratios = ", ".join(f"{system} {used.get(phase, {}).get(system, 0)} of minimum {n} "
                               f"({used.get(phase, {}).get(system, 0) / n:.2f}x)" for system, n in floor.items() if n)
            print(f"  API calls, {phase}: {ratios}")


def main() -> None:
    for scale in [float(a) for a in sys.argv[1:]] or [1.0, 10.0, 50.0]:
        run(scale)


if __name__ == "__main__":
    main()
