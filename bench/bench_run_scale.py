"""A full `uat run` on the healthy twin at a larger seed scale: wall time, peak memory, and the run's phase table.

The shipped profile is copied to a temporary folder with only `seed.scale` changed (its relative paths made
absolute), then `uat run --profile <copy>` runs as in bench_run.py. Targets (issue 19, on 2 cores): scale 10 within
45 s, scale 50 (12,000 records) within 60 s and 1 GB, GO, API calls per phase within 1.2 x the batch minimum.

Usage: python bench/bench_run_scale.py [SCALE ...]   (default: 1 10 50)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "fixtures" / "profiles" / "default.yaml"
sys.path.insert(0, str(Path(__file__).parent))

from bench_run import tree_rss_mb  # noqa: E402


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


def run(scale: float) -> None:
    with tempfile.TemporaryDirectory(prefix="uat-scale-") as folder:
        profile = scaled_profile(scale, Path(folder))
        command = [sys.executable, "-m", "harness.cli", "run", "--profile", str(profile), "--allow-large"]
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
        elapsed = time.perf_counter() - started
    output = stdout + stderr
    verdict = next((line.split()[1] for line in output.splitlines() if line.startswith("verdict:")), "?")
    print(f"uat run scale {scale:g}: wall_seconds={elapsed:.1f} peak_rss_mb={peak:.0f} exit={process.returncode} "
          f"verdict={verdict}")
    if verdict == "?":
        print("\n".join(output.strip().splitlines()[-15:]))
    run_dir = next((m.group(1) for m in re.finditer(r"run \S+: (\S+)", output)), None)
    signoff = Path(run_dir) / "signoff.json" if run_dir else None
    if signoff and signoff.exists():
        timings = json.loads(signoff.read_text(encoding="utf-8")).get("timings") or []
        for phase in timings:
            print("  " + json.dumps(phase))


def main() -> None:
    for scale in [float(a) for a in sys.argv[1:]] or [1.0, 10.0, 50.0]:
        run(scale)


if __name__ == "__main__":
    main()
