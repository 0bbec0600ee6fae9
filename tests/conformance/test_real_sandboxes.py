"""Against real sandboxes there is no control plane: the connector's mappings come from the export the admin
downloads from HubSpot (`conformance.connector_export`), and what no API answers is named as not evaluated.

The twin stands in for the sandboxes with its control plane left out, exactly as a `sandboxes` profile connects."""

from __future__ import annotations

import dataclasses
import shutil

from harness.conformance import Status, check_conformance
from harness.profile import load_profile
from harness.sandboxes import connect
from harness.sandboxes.twin_target import twin_credentials

from .mutants import ROOT, differing, mutant_profile


def _without_control_plane(twin):
    return connect(dataclasses.replace(twin_credentials(twin.info()), control=None))


def test_without_an_export_every_mapping_clause_is_named_not_evaluated(twin, tmp_path):
    report = check_conformance(load_profile(mutant_profile(tmp_path)), _without_control_plane(twin))
    for kind in ("mapping", "sync_rule", "delete_policy", "connector_setting"):
        clauses = report.of(kind)
        assert clauses and all(c.status is Status.NOT_EVALUATED for c in clauses), kind
    mapping = report.of("mapping")[0]
    assert "conformance.connector_export" in mapping.reason
    assert "HubSpot offers no API" in report.of("delete_policy")[0].reason
    assert "HubSpot offers no API" in report.of("connector_setting")[0].reason
    assert report.with_status(Status.CONFORMS, "picklist")  # what documented APIs answer is still evaluated
    # flows and validation rules (Tooling API), duplicate rules and their actions (UI API) answer on any org
    assert report.of("required_automation") and all(
        c.status is Status.CONFORMS for c in report.of("required_automation"))


def test_the_export_is_compared_row_by_row(twin, tmp_path):
    export = tmp_path / "export"
    shutil.copytree(ROOT / "fixtures" / "mappings", export)
    companies = export / "companies.csv"
    text = companies.read_text(encoding="utf-8")
    companies.write_text(text.replace("Industry,Industry,picklist,Always use Salesforce",
                                      "Industry,Industry,picklist,Two-way"), encoding="utf-8")
    profile = mutant_profile(tmp_path / "p", ("default.yaml", "# conformance:\n#   connector_export: ../exports/hubspot-mappings/\n",
                                              f"conformance:\n  connector_export: {export}\n"))
    report = check_conformance(load_profile(profile), _without_control_plane(twin))
    assert list(differing(report)) == ["sync_rule: companies: industry <-> Account.Industry"], differing(report)
    assert report.source.startswith("the mapping export")
