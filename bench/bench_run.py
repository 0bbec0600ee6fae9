"""A full `uat run` on the healthy twin: wall time and peak memory of the whole loop (target: 60 s, 1 GB on 2 cores).

Peak memory is the largest resident set of the run's process tree (the runner with its in-process twin, and the
pytest subprocess), sampled every 50 ms. Usage: python bench/bench_run.py [uat run options...]
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants, from /proc."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
        pending.extend(int(c) for c in children)
    return total / 1024


def measured_run(arguments: list[str]) -> tuple[str, int, float, float]:
    """`uat run ARGUMENTS` in a subprocess: (its output, exit code, wall seconds, peak RSS of its process tree in MB)."""
    command = [sys.executable, "-m", "harness.cli", "run", *arguments]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_mb(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    done.set()
    sampler.join()
    return stdout + stderr, process.returncode, time.perf_counter() - started, peak


def main() -> None:
    output, code, elapsed, peak = measured_run(sys.argv[1:])
    verdict = next((line.split()[1] for line in output.splitlines() if line.startswith("verdict:")), "?")
    print(f"uat run: wall_seconds={elapsed:.1f} peak_rss_mb={peak:.0f} exit={code} verdict={verdict}")


if __name__ == "__main__":
    main()
