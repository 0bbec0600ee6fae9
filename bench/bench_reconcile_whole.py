"""Whole-population reconciliation on the twin at volume: 1,000,000 HubSpot contacts against their Salesforce
Leads and Contacts (and 50,000 companies against their Accounts), extraction included.

The twin's state is filled with `harness.twin.volume.fill_contacts` (half the contacts linked to Leads, half to
Contacts, an Account per 10 Contacts, 0.1% planted first-name differences), then served by `uat twin serve` in its
own process, as a user's twin would be; `reconcile_whole` runs here, over HTTPS, through the real clients
(Bulk 2.0 query jobs with locator paging, HubSpot CRM exports). Prints the fill time, the reconciliation's wall
time (extraction and comparison), API calls against the minimum the extraction path allows, and both processes'
peak memory. Targets: <= 5 minutes, API calls <= 1.1 x the minimum.

Usage: python bench/bench_reconcile_whole.py [CONTACTS]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness.profile import load_profile
from harness.reconcile.whole import reconcile_whole
from harness.sandboxes import connect
from harness.sandboxes.twin_target import twin_credentials
from harness.twin.twin import Twin
from harness.twin.volume import fill_contacts

PROJECT = Path(__file__).resolve().parents[1]


def peak_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0


def main() -> int:
    contacts = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory(prefix="bench-whole-") as scratch:
        state = Path(scratch) / "state"
        filling = Twin(org="healthy", state_dir=state)
        filled = fill_contacts(filling, contacts, differ_every=1000)
        filling.stop()
        size_mb = (state / "twin.sqlite3").stat().st_size / 1e6
        print(f"fill: {contacts:,} contacts ({filled['leads']:,} Leads, {filled['contacts_linked_to_contacts']:,} "
              f"Contacts, {filled['accounts']:,} Accounts and companies) in {filled['seconds']} s; state {size_mb:,.0f} MB",
              flush=True)
        served = subprocess.Popen([sys.executable, "-m", "harness.cli", "twin", "serve", "--org", "healthy",
                                   "--state-dir", str(state)], cwd=PROJECT, stdout=subprocess.PIPE, text=True)
        try:
            info = json.loads(served.stdout.readline())  # type: ignore[union-attr]
            sandboxes = connect(twin_credentials(info))
            started = time.perf_counter()
            report = reconcile_whole(sandboxes, load_profile(PROJECT / "fixtures/profiles/default.yaml"),
                                     Path(scratch) / "out")
            wall = time.perf_counter() - started
            twin_peak = peak_of(served.pid)
        finally:
            served.terminate()
            served.wait(timeout=60)
        extraction = json.loads((Path(scratch) / "out" / "extraction.json").read_text())
    contacts_result = report.objects[0]
    calls = sum(extraction["api_calls"].values())
    minimum = sum(extraction["minimum_calls"].values())
    print(f"reconcile_whole: {wall:.1f} s (extraction {extraction['extraction_seconds']} s); "
          f"{contacts_result.compared_pairs:,} contact pairs, {contacts_result.mismatched_pairs:,} mismatched; "
          f"clean={report.clean}")
    print(f"API calls: {extraction['api_calls']} = {calls} against a minimum of {extraction['minimum_calls']} = "
          f"{minimum} ({calls / max(minimum, 1):.2f} x; target <= 1.1 x)")
    print("extraction by object: " + ", ".join(f"{o['system']} {o['object']} {o['rows']:,} rows ({o['path']}) "
                                               f"{o['seconds']} s" for o in extraction["objects"]))
    print(f"peak memory: harness {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB (fill included), "
          f"twin {twin_peak} MB; target <= 300 s: {'met' if wall <= 300 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
