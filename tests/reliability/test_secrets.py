"""No credential in any file of a run folder: logs, Allure results and report, attachments, sign-off, ledger.

The runs carry recognisable secrets: the twin's own random session id, private-app token and control token, and
decoy UAT_SF_PASSWORD / UAT_SF_SECURITY_TOKEN / UAT_SF_CLIENT_SECRET values in the environment (unused by a
session login, so they could only leak by being dumped). The drifted org makes scenarios fail, so defect
messages and attachments are written too, and a fault profile makes every merge fail in the clients themselves.
"""

from __future__ import annotations

import logging
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.run.redaction import MASK, RedactingFilter, Redactor, find_secrets, redact_tree

from .support import PROJECT, REPORTS, ServedTwin, clean_environment, sandbox_profile, uat

DECOYS = {"UAT_SF_PASSWORD": "Decoy-Passw0rd-7c1e!x", "UAT_SF_SECURITY_TOKEN": "DecoySecTok9f2aQ",
          "UAT_SF_CLIENT_SECRET": "decoy-client-secret-55aa-77bb"}


def test_redactor_masks_secrets_in_text_logs_and_files(tmp_path):
    session = "00D8d00001nahnsE!" + "a.B_c" * 20
    redactor = Redactor([session, "pat-na1-0123abcd-0000-1111-2222-333344445555", "abc"])
    assert redactor.redact(f"Authorization: Bearer {session}") == f"Authorization: Bearer {MASK}"
    assert redactor.redact("a" + session.split("!")[1]) == "a" + MASK  # the opaque part alone is a secret too
    assert redactor.redact("abc stays: too short to be a credential") == "abc stays: too short to be a credential"
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "token %s", ("pat-na1-0123abcd-0000-1111-2222-333344445555",),
                               None)
    assert RedactingFilter(["pat-na1-0123abcd-0000-1111-2222-333344445555"]).filter(record)
    assert record.getMessage() == f"token {MASK}"
    (tmp_path / "deep").mkdir()
    (tmp_path / "deep" / "log.txt").write_text(f"x {session} y {session}")
    (tmp_path / "clean.txt").write_text("nothing here")
    assert redact_tree(tmp_path, [session]) == {"deep/log.txt": 2}
    assert session not in (tmp_path / "deep" / "log.txt").read_text()
    assert find_secrets(tmp_path, {"session": session}) == []


def scan(run_id: str, secrets: dict[str, str]) -> list[str]:
    folder = REPORTS / run_id
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert len(files) > 10 and (folder / "ledger.jsonl").exists() and (folder / "signoff.json").exists()
    return find_secrets(folder, secrets)


# Merges always fail on both platforms: those scenarios end in the clients' own exceptions, whose tracebacks run
# through the frames that hold the Authorization header and the SOAP session header.
BROKEN_MERGES = """\
salesforce: {unavailable: 1.0, path_prefix: /services/Soap}
hubspot: {faults: {share: 1.0, kinds: ["503"], paths: [/crm/v3/objects/contacts/merge]}}
"""


@pytest.mark.slow
def test_a_run_with_failing_client_calls_writes_no_credential_anywhere(tmp_path, run_ids):
    twin = ServedTwin(tmp_path / "state", org="drifted").start()
    try:
        profile = sandbox_profile(tmp_path)
        (tmp_path / "broken-merges.yaml").write_text(BROKEN_MERGES, encoding="utf-8")
        done = uat("run", "--profile", profile, "--faults", str(tmp_path / "broken-merges.yaml"),
                   env=twin.environment(**DECOYS))
        run_ids.append(done.run_id)
        assert done.code == 1, done.output[-2000:]
        failed = (REPORTS / done.run_id / "results.jsonl").read_text()
        assert "(503)" in failed and "SERVER_UNAVAILABLE" in failed  # both clients' errors are in the folder
        secrets = {"salesforce session id": twin.info["salesforce_session_id"],
                   "HubSpot token": twin.info["hubspot_token"], "control-plane token": twin.info["control_token"],
                   **DECOYS}
        assert scan(done.run_id, secrets) == []
        assert "credentials found and masked" not in done.output  # clean at the source, not by the safety net
        assert not [name for name, value in secrets.items() if value in done.output]
    finally:
        twin.stop()


@pytest.mark.slow
def test_a_twin_run_writes_no_credential_anywhere(run_ids):
    """The default run (a twin started for it, credentials never in the environment): shapes are scanned."""
    from .support import clean_environment

    done = uat("run", "--profile", PROJECT / "fixtures" / "profiles" / "default.yaml", env=clean_environment(**DECOYS))
    run_ids.append(done.run_id)
    assert done.code in (0, 1), done.output[-2000:]
    assert scan(done.run_id, DECOYS) == []
    assert "credentials found and masked" not in done.output


# -- every credential variable through every failure mode ---------------------------------------------------------
# Distinctive values, one per variable: found anywhere (output, a file), they can only have leaked from here.
MARKED = {"UAT_SF_ACCESS_TOKEN": "00D0000000MARKED!SessionMarkerQ7w8e9r0t1y2u3i4o5p6a7s8d9f0g1h2j3k4",
          "UAT_HUBSPOT_TOKEN": "pat-na1-5ec7e7aa-1111-2222-3333-5ec7e7a11a11",
          "UAT_TWIN_CONTROL_TOKEN": "ControlTokenMarker-9f8e7d6c5b4a",
          "UAT_SF_PASSWORD": "PasswordMarker-41x!z", "UAT_SF_SECURITY_TOKEN": "SecurityTokenMarker8812",
          "UAT_SF_CLIENT_SECRET": "ClientSecretMarker-77aa"}
# How each variable is read: the login that uses it (a password is only read for a username login).
LOGIN = {"UAT_SF_PASSWORD": "password", "UAT_SF_SECURITY_TOKEN": "password", "UAT_SF_CLIENT_SECRET": "client"}


def fragments(value: str) -> list[str]:
    """The value and its halves: a value split by a line break must not leak either part."""
    middle = len(value) // 2
    return [value, value[:middle], value[middle:]]


def leaks(text: str, values: dict[str, str]) -> list[str]:
    return [f"{name} ({fragment!r})" for name, value in values.items() for fragment in fragments(value)
            if len(fragment) >= 8 and fragment in text]


def files_text(folders: list[Path]) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", errors="replace")
                     for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file())


def pointed_at(twin: ServedTwin, values: dict[str, str]) -> dict[str, str]:
    """The served twin's environment with `values` set over it (a wrong token replaces the right one)."""
    env = twin.environment()
    env.update(values)
    return env


def login_environment(twin: ServedTwin, variable: str, value: str) -> dict[str, str]:
    env = pointed_at(twin, {k: v for k, v in MARKED.items() if k != variable})
    if LOGIN.get(variable) == "password":
        for name in ("UAT_SF_INSTANCE_URL", "UAT_SF_ACCESS_TOKEN"):
            env.pop(name)
        env.update(UAT_SF_USERNAME="qa@acme.example.com", UAT_SF_PASSWORD=MARKED["UAT_SF_PASSWORD"],
                   UAT_SF_SECURITY_TOKEN=MARKED["UAT_SF_SECURITY_TOKEN"])
    elif LOGIN.get(variable) == "client":
        for name in ("UAT_SF_INSTANCE_URL", "UAT_SF_ACCESS_TOKEN"):
            env.pop(name)
        env.update(UAT_SF_CLIENT_ID="3MVG9clientid", UAT_SF_DOMAIN="acme--uat.sandbox.my")
    env[variable] = value
    return env


@pytest.fixture(scope="module")
def twin(tmp_path_factory) -> Iterator[ServedTwin]:
    served = ServedTwin(tmp_path_factory.mktemp("secrets-twin") / "state").start()
    yield served
    served.stop()


def silent_listener() -> tuple[socket.socket, str]:
    """A host that accepts connections and never says a word (not even TLS's hello): a timeout, not a refusal."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    return listener, f"https://127.0.0.1:{listener.getsockname()[1]}"


def failure_modes(twin: ServedTwin) -> Iterator[tuple[str, dict[str, str], dict[str, str]]]:
    """(mode, environment, the secrets it carries) for every variable and every failure mode before a write."""
    for variable, value in MARKED.items():
        broken = value[:9] + "\n" + value[9:]  # pasted across two lines: not a header any client may send
        yield f"bad header: {variable}", login_environment(twin, variable, broken), MARKED
        yield f"surrounding whitespace, then refused: {variable}", \
            login_environment(twin, variable, f"  {value}\n") | {"UAT_CA_BUNDLE": "/nonexistent/ca.pem"}, MARKED
    yield "401 from Salesforce", pointed_at(twin, MARKED), MARKED
    yield "401 from HubSpot", pointed_at(twin, {**MARKED, "UAT_SF_ACCESS_TOKEN": twin.info["salesforce_session_id"]}), \
        {**MARKED, "twin session": twin.info["salesforce_session_id"]}
    real = {"twin session": twin.info["salesforce_session_id"], "twin token": twin.info["hubspot_token"],
            "twin control token": twin.info["control_token"]}
    no_ca = pointed_at(twin, {"UAT_SF_PASSWORD": MARKED["UAT_SF_PASSWORD"]})
    no_ca.pop("UAT_CA_BUNDLE")
    yield "TLS certificate not trusted", no_ca, {**real, "UAT_SF_PASSWORD": MARKED["UAT_SF_PASSWORD"]}


@pytest.mark.slow
def test_no_secret_in_any_output_or_file_whatever_fails(twin, tmp_path):
    """Every credential variable carries a marked value; every failure before a write (a value no header can
    carry, a refused session or token, an untrusted certificate, a host that never answers) ends in one line
    that names the variable, and the marked values appear in no output and no file."""
    profile = sandbox_profile(tmp_path / "workspace")
    started = time.time()
    checked, found = 0, []
    listener, silent = silent_listener()
    modes = [*failure_modes(twin),
             ("timeout: Salesforce never answers", pointed_at(twin, {**MARKED, "UAT_SF_INSTANCE_URL": silent}), MARKED)]
    try:
        for mode, env, secrets in modes:
            done = uat("run", "--profile", profile, "--no-html", env=env, timeout=600)
            assert done.code == 2, f"{mode}: {done.output[-1500:]}"
            assert "Traceback" not in done.output, mode
            found += [f"{mode}: output: {leak}" for leak in leaks(done.output, secrets)]
            checked += 1
    finally:
        listener.close()
    written = [p for p in REPORTS.iterdir() if p.is_dir() and p.stat().st_mtime >= started]
    found += [f"file: {leak}" for leak in leaks(files_text([tmp_path, *written]), MARKED)]
    assert checked == len(MARKED) * 2 + 4
    assert found == []


def test_a_traceback_printed_by_uat_masks_every_credential(tmp_path):
    """The last line of defence: an unexpected error whose message quotes a header is printed masked."""
    script = ("import os, sys; sys.argv = ['uat', 'run']\n"
              "from harness.run.redaction import install_console_redaction\n"
              "install_console_redaction()\n"
              "raise RuntimeError('Authorization: Bearer ' + os.environ['UAT_HUBSPOT_TOKEN'] + ' session '"
              " + os.environ['UAT_SF_ACCESS_TOKEN'] + ' password ' + os.environ['UAT_SF_PASSWORD'])\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True,
                          env=clean_environment(**MARKED), timeout=60)
    assert "Traceback" in done.stderr and "RuntimeError: Authorization: Bearer ********" in done.stderr
    assert leaks(done.stdout + done.stderr, MARKED) == []


def test_the_env_file_is_owner_only_even_if_it_existed_and_never_follows_a_link(tmp_path):
    from harness.cli.twin import write_env_file

    info = {"salesforce_url": "https://127.0.0.1:1", "salesforce_session_id": MARKED["UAT_SF_ACCESS_TOKEN"],
            "hubspot_url": "https://127.0.0.1:2", "hubspot_token": MARKED["UAT_HUBSPOT_TOKEN"],
            "ca_bundle": str(tmp_path / "ca.pem"), "control_url": "https://127.0.0.1:3",
            "control_token": MARKED["UAT_TWIN_CONTROL_TOKEN"]}
    existing = tmp_path / "existing.env"
    existing.write_text("old\n")
    existing.chmod(0o644)
    write_env_file(existing, info)
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600
    assert MARKED["UAT_HUBSPOT_TOKEN"] in existing.read_text()
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("not for tokens\n")
    link = tmp_path / "link.env"
    link.symlink_to(elsewhere)
    write_env_file(link, info)
    assert elsewhere.read_text() == "not for tokens\n"  # the link was replaced, not followed
    assert not link.is_symlink() and stat.S_IMODE(link.stat().st_mode) == 0o600
