"""`uat twin serve --port N` takes N, N+1 and N+2: with any of them taken it ends at once with exit code 2 and one
line naming the port, instead of printing an error and staying up on the listeners it did open."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest


def free_run_of_three() -> int:
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base + 2 > 65535:
            continue
        try:
            for port in (base + 1, base + 2):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    pytest.skip("no three consecutive free ports on this machine")


@pytest.mark.parametrize("taken", [1, 0, 2])
def test_a_taken_port_ends_twin_serve_with_exit_2_and_one_line(taken):
    base = free_run_of_three()
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", base + taken))
        blocker.listen()
        process = subprocess.Popen([sys.executable, "-m", "harness.cli", "twin", "serve", "--port", str(base)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            out, err = process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            pytest.fail("uat twin serve stayed up with a taken port")
    assert process.returncode == 2
    assert out == ""  # no connection details announced for a twin that is not serving
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert str(base + taken) in lines[0] and "already in use" in lines[0], lines[0]
