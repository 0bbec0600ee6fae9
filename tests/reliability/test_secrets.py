"""No credential in any file of a run folder: logs, Allure results and report, attachments, sign-off, ledger.

The runs carry recognisable secrets: the twin's own random session id, private-app token and control token, and
decoy UAT_SF_PASSWORD / UAT_SF_SECURITY_TOKEN / UAT_SF_CLIENT_SECRET values in the environment (unused by a
session login, so they could only leak by being dumped). The drifted org makes scenarios fail, so defect
messages and attachments are written too, and a fault profile makes every merge fail in the clients themselves.
"""

from __future__ import annotations

import logging

import pytest

from harness.run.redaction import MASK, RedactingFilter, Redactor, find_secrets, redact_tree

from .support import PROJECT, REPORTS, ServedTwin, sandbox_profile, uat

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
