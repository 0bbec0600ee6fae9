"""`make bench`: every benchmark, one after the other, each printing its own figures.

Figures are machine-dependent; compare ratios within one run, not against another machine (README, "Figures").
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
BENCHES = ["bench_salesforce.py", "bench_hubspot.py", "bench_connector.py", "bench_seeder.py", "bench_reconcile.py",
           "bench_run.py", "bench_twin_concurrency.py"]


def main() -> int:
    failed = 0
    for name in BENCHES:
        path = HERE / name
        if not path.exists():
            continue
        print(f"== {name}", flush=True)
        failed += subprocess.run([sys.executable, str(path), *sys.argv[1:]], cwd=HERE.parent).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
