"""What the terminal shows while the suite runs (harness/run/progress.py): scenarios done / total and the feature
running now; plain lines in CI, a rich bar on a terminal; and the run's other phases say what they are doing."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from reliability.support import clean_environment
from rich.console import Console

from harness.run.progress import PlainLines, ProgressBar, follow_suite, interactive, suite_display

ROOT = Path(__file__).resolve().parents[1]

# A stand-in for the pytest process: it writes what harness/run/progress_events.py and the run plugin write, in the
# same files, with pauses between scenarios.
FAKE_SUITE = textwrap.dedent("""
    import json, os, sys, time
    run = os.environ["UAT_RUN_DIR"]
    def add(name, line):
        with open(os.path.join(run, name), "a") as f:
            f.write(json.dumps(line) + "\\n")
    add("progress.jsonl", {"total": 3})
    for n, (feature, outcome) in enumerate([("Lead conversion", "passed"), ("Lead conversion", "failed"),
                                            ("Merges", "passed")]):
        add("progress.jsonl", {"running": feature, "scenario": f"s{n}"})
        time.sleep(float(sys.argv[1]))
        add("results.jsonl", {"feature": feature, "scenario": f"scenario {n}", "outcome": outcome})
""")


def fake_suite(tmp_path: Path, display, pause: float = 0.3) -> int:
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    # A resumed run's earlier result is not this suite's progress.
    (run_dir / "results.jsonl").write_text('{"feature": "Old", "scenario": "earlier", "outcome": "passed"}\n')
    with (tmp_path / "pytest.log").open("w") as log:
        return follow_suite([sys.executable, "-c", FAKE_SUITE, str(pause)], tmp_path,
                            {**clean_environment(), "UAT_RUN_DIR": str(run_dir)}, log, run_dir, display)


def test_plain_lines_count_each_scenario_against_the_total_and_never_stay_silent(tmp_path):
    lines: list[str] = []
    assert fake_suite(tmp_path, PlainLines(lines.append, heartbeat=0.5), pause=1.2) == 0
    done = [line for line in lines if re.match(r"\d+/3 ", line)]
    assert [line.split(" ", 1)[0] for line in done if "running" not in line] == ["1/3", "2/3", "3/3"], lines
    assert "1/3 Lead conversion: scenario 0 passed" in lines and "2/3 Lead conversion: scenario 1 failed" in lines
    assert lines[0] == "suite: 3 scenario(s) selected"
    # While a scenario runs longer than the heartbeat, a line says which feature it is in.
    assert any(re.match(r"\d/3 running (Lead conversion|Merges) \(\d+s\)", line) for line in lines), lines


def test_on_a_terminal_a_progress_bar_shows_done_of_total_and_the_feature(tmp_path):
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120, color_system=None)
    assert fake_suite(tmp_path, ProgressBar(console)) == 0
    screen = out.getvalue()
    assert "3/3" in screen and "Merges" in screen and "Lead conversion" in screen, screen
    assert "failed Lead conversion: scenario 1" in screen  # a failure stays above the bar
    assert "━" in screen  # the bar itself


def test_a_bar_only_on_a_terminal_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    terminal = Console(file=io.StringIO(), force_terminal=True)
    assert interactive(terminal) and isinstance(suite_display(terminal, print)(), ProgressBar)
    assert not interactive(Console(file=io.StringIO(), force_terminal=False))
    monkeypatch.setenv("CI", "true")
    assert not interactive(terminal) and isinstance(suite_display(terminal, print)(), PlainLines)


def test_uat_run_in_ci_prints_progress_lines_and_what_each_phase_does():
    done = subprocess.run([sys.executable, "-m", "harness.cli", "run", "-m", "reconciliation", "--no-html"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900, env=clean_environment(CI="true"))
    out = done.stderr
    assert "Traceback" not in out, out[-3000:]
    total = int(re.search(r"suite: (\d+) scenario\(s\) selected", out).group(1))
    counted = re.findall(rf"^(\d+)/{total} Reconciliation: .+ (?:passed|failed|skipped)$", out, re.MULTILINE)
    assert [int(n) for n in counted] == list(range(1, total + 1)), out[-3000:]
    for phase in ("seeding", "starting the suite", "writing the sign-off report", "cleaning up"):
        assert phase in out, (phase, out[-3000:])
    assert out.index("cleaning up") < out.index("Reconciliation │")  # then the summary table
    # The feature running now is named as the feature file names it (what the bar and the heartbeat show).
    run_dir = ROOT / "reports" / re.search(r"run (\d{8}-\d{6}-[0-9a-f]{4})", out).group(1)
    events = [json.loads(line) for line in (run_dir / "progress.jsonl").read_text().splitlines()]
    assert {e["running"] for e in events if "running" in e} == {"Reconciliation"}
    assert [e["total"] for e in events if "total" in e] == [total]
