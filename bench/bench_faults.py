"""The reference faulted run: `uat run --faults light` (and heavy) against a long-running twin, beside a clean run.

Prints, per run: verdict, wall time, faults injected by kind (what the twin itself counted), retries the harness
made, records created, and whether cleanup left the twin exactly as before (live records of every object
compared column by column). The light run's scenario outcomes are compared with the clean run's.

Usage: python bench/bench_faults.py [--profiles none,light,heavy] [--project DIR]
  --project DIR  run another checkout's code and features (e.g. a copy with more feature files)
Figures depend on the machine (2 shared cores here); the counts depend on the suite's size, not the machine.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from reliability.support import (  # noqa: E402 - the tests' helpers: one definition of "left as before"
    ServedTwin,
    sandbox_profile,
    state_difference,
    uat,
)


def outcome(project: Path, run_id: str) -> dict:
    folder = project / "reports" / run_id
    results = {}
    if (folder / "results.jsonl").exists():
        for line in (folder / "results.jsonl").read_text().splitlines():
            if line.strip():
                item = json.loads(line)
                results[item["nodeid"]] = item["outcome"]
    signoff = json.loads((folder / "signoff.json").read_text()) if (folder / "signoff.json").exists() else {}
    faults = json.loads((folder / "faults.json").read_text()) if (folder / "faults.json").exists() else {}
    ledger = [json.loads(line) for line in (folder / "ledger.jsonl").read_text().splitlines() if line.strip()] \
        if (folder / "ledger.jsonl").exists() else []
    retries = {row["system"]: row.get("retries", 0) for row in signoff.get("api_budget") or []}
    return {"results": results, "verdict": signoff.get("verdict"), "faults": faults, "ledger": ledger,
            "retries": retries}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", default="none,light,heavy")
    parser.add_argument("--project", type=Path, default=ROOT)
    args = parser.parse_args()
    project = args.project.resolve()
    work = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    twin = ServedTwin(work / "state").start()
    clean_results = None
    try:
        profile = sandbox_profile(work / "workspace")
        before = twin.snapshot()
        for name in args.profiles.split(","):
            extra = [] if name == "none" else ["--faults", name]
            started = time.perf_counter()
            done = uat("run", "--profile", str(profile), "--no-html", *extra, env=twin.environment(), cwd=project,
                       timeout=3600)
            seconds = time.perf_counter() - started
            run_id = next((line.split()[1].rstrip(":") for line in done.stderr.splitlines() if line.startswith("run ")),
                          None)
            if run_id is None:
                print(f"{name}: no run started (exit {done.code}): {done.stderr.strip()[-300:]}")
                continue
            found = outcome(project, run_id)
            left = state_difference(before, twin.snapshot())
            passed = sum(1 for o in found["results"].values() if o == "passed")
            print(f"{name:>6}: {found['verdict']} (exit {done.code}) in {seconds:.1f}s; scenarios {passed}/"
                  f"{len(found['results'])} passed; records in the ledger {len(found['ledger'])}; retries "
                  f"{found['retries']}; left behind after cleanup: {len(left)}")
            if found["faults"]:
                print(f"        faults injected and survived: {found['faults'].get('total')} "
                      f"{json.dumps(found['faults'].get('injected'), sort_keys=True)}")
            if name == "none":
                clean_results = found["results"]
            elif clean_results is not None and name == "light":
                same = found["results"] == clean_results
                print(f"        scenario outcomes identical to the clean run: {same}")
            if left:
                print("        " + "\n        ".join(left[:10]))
            shutil.rmtree(project / "reports" / run_id, ignore_errors=True)
    finally:
        twin.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
