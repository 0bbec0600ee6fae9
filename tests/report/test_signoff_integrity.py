"""Sign-off integrity on a real run folder, through `uat signoff` as a stakeholder types it: a decision names the
report content it approves and who recorded it; another person's decision is replaced only with --supersede and a
comment, and the trail keeps it; `uat signoff verify` holds on an untouched run and fails on a tampered signoff.json,
an edited decisions.jsonl, and a decision made on other report content (stale)."""

from __future__ import annotations

import json

import pytest
from report_runs import uat

from harness.report.publish import render_reports
from harness.signoff.record import load_signoff

pytestmark = pytest.mark.slow


def signoff(folder) -> dict:
    return json.loads((folder / "signoff.json").read_text())


def approve(folder, role: str, name: str, *extra: str):
    return uat("signoff", "approve", "--run", folder.name, "--role", role, "--name", name, "--comment",
               "accepting the company drift until the CSV is fixed", *extra)


def test_a_decision_records_the_content_it_approves_and_who_recorded_it(signable):
    done = approve(signable, "Sales Ops", "Marcus Lee")
    assert done.returncode == 0, done.stderr
    data = signoff(signable)
    [decision] = data["decisions"]
    assert decision["content_sha256"] == data["content_sha256"] and len(data["content_sha256"]) == 64
    assert decision["recorded_by"]["os_user"]  # the local account; the git e-mail where git knows one
    assert decision["date"] and decision["role"] == "Sales Ops" and decision["name"] == "Marcus Lee"
    assert data["content_sha256"] in (signable / "signoff.html").read_text()
    assert data["content_sha256"] in (signable / "signoff.md").read_text()


def test_replacing_another_persons_decision_needs_supersede_and_a_comment_and_keeps_the_history(signable):
    assert approve(signable, "Sales Ops", "Marcus Lee").returncode == 0
    before = (signable / "decisions.jsonl").read_text()
    refused = approve(signable, "sales ops", "Someone Else")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "Marcus Lee approved" in refused.stderr and "--supersede --comment" in refused.stderr
    bare = uat("signoff", "reject", "--run", signable.name, "--role", "Sales Ops", "--name", "Someone Else",
               "--supersede")
    assert bare.returncode == 2 and "--comment" in bare.stderr
    assert (signable / "decisions.jsonl").read_text() == before  # nothing written by a refused decision
    replaced = uat("signoff", "reject", "--run", signable.name, "--role", "Sales Ops", "--name", "Priya Raman",
                   "--supersede", "--comment", "Marcus is on leave; the company mapping blocks go-live")
    assert replaced.returncode == 0, replaced.stderr
    data = signoff(signable)
    row = next(s for s in data["stakeholders"] if s["role"] == "Sales Ops")
    assert (row["decision"], row["signed_by"]) == ("rejected", "Priya Raman")
    assert row["supersedes"].startswith("Marcus Lee, ")
    assert [(d["name"], d["current"]) for d in data["decisions"]] == [("Marcus Lee", False), ("Priya Raman", True)]
    html = (signable / "signoff.html").read_text()
    assert "replaces the decision of Marcus Lee" in html and "superseded" in html
    # The same person changing their mind needs no --supersede.
    again = approve(signable, "Sales Ops", "Priya Raman")
    assert again.returncode == 0, again.stderr


def test_verify_holds_on_an_untouched_run(signable):
    fresh = uat("signoff", "verify", "--run", signable.name)  # as the run wrote it, before anyone signed
    assert fresh.returncode == 0, fresh.stderr
    assert approve(signable, "Marketing Ops", "Dana Whitfield").returncode == 0
    done = uat("signoff", "verify", "--run", signable.name)
    assert done.returncode == 0, done.stderr
    assert "every decision holds against the report shown" in done.stderr


def test_verify_fails_on_a_tampered_signoff_json(signable):
    assert approve(signable, "Marketing Ops", "Dana Whitfield").returncode == 0
    data = signoff(signable)
    data["verdict"], data["defects"] = "GO", []  # someone makes the NO-GO look clean
    (signable / "signoff.json").write_text(json.dumps(data, indent=2))
    done = uat("signoff", "verify", "--run", signable.name)
    assert done.returncode == 1, done.stderr
    assert "tampered" in done.stderr and "changed after the run wrote it" in done.stderr
    # Nobody can sign the doctored report either.
    refused = approve(signable, "Sales Ops", "Marcus Lee")
    assert refused.returncode == 2 and "uat signoff verify" in refused.stderr


def test_verify_fails_on_an_edited_decision(signable):
    assert approve(signable, "Marketing Ops", "Dana Whitfield").returncode == 0
    assert approve(signable, "Sales Ops", "Marcus Lee").returncode == 0
    path = signable / "decisions.jsonl"
    path.write_text(path.read_text().replace("Dana Whitfield", "Dana W."))
    done = uat("signoff", "verify", "--run", signable.name)
    assert done.returncode == 1 and "decisions.jsonl" in done.stderr and "tampered" in done.stderr


def test_a_decision_made_on_other_report_content_is_stale_and_verify_fails(signable):
    assert approve(signable, "Marketing Ops", "Dana Whitfield").returncode == 0
    # The run's report is published again with other content (as a resumed run re-publishes it).
    report = load_signoff(signable)
    report.totals = {**report.totals, "passed": report.totals["passed"] + 1}
    render_reports(signable, report)
    data = signoff(signable)
    row = next(s for s in data["stakeholders"] if s["role"] == "Marketing Ops")
    assert row["stale"] is True and "Marketing Ops" in data["signoff"]["stale"]
    assert 'data-stale="true"' in (signable / "signoff.html").read_text()
    done = uat("signoff", "verify", "--run", signable.name)
    assert done.returncode == 1 and "stale" in done.stderr and "made on report content" in done.stderr
