"""`uat impact`: changed mappings and the marker expression that selects their scenarios."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from harness.profile.impact import impact

ROOT = Path(__file__).resolve().parents[2]
CONTACTS = ROOT / "fixtures" / "mappings" / "contacts.csv"


def changed_copy(tmp_path: Path) -> Path:
    text = CONTACTS.read_text(encoding="utf-8")
    text = text.replace("Title,string,Two-way", "Title,string,Always use Salesforce")  # a rule change
    text = "\n".join(line for line in text.splitlines() if not line.startswith("Phone Number,")) + "\n"  # removed
    text += "Fax,fax,text,Lead,Fax,Fax,phone,Two-way\n"  # added
    new = tmp_path / "contacts.csv"
    new.write_text(text, encoding="utf-8")
    return new


def test_changes_and_marker_expression(tmp_path):
    changes, expression = impact(CONTACTS, changed_copy(tmp_path))
    kinds = {(c.kind, c.hubspot_property) for c in changes}
    assert kinds == {("changed", "jobtitle"), ("removed", "phone"), ("added", "fax")}
    jobtitle = next(c for c in changes if c.hubspot_property == "jobtitle")
    assert "Lead: rule Two-way → Always use Salesforce" in jobtitle.details
    assert expression == ("(object_contact and field_fax) or (object_contact and field_jobtitle) or "
                          "(object_contact and field_phone) or (object_contact and rule_two_way) or "
                          "(object_contact and rule_always_use_salesforce)")


def test_the_expression_selects_the_tagged_scenarios(tmp_path):
    """The feature files tag scenarios `@object_contact @field_firstname`; the expression must pick them out."""
    new = tmp_path / "contacts.csv"
    new.write_text(CONTACTS.read_text().replace("FirstName,string,Two-way", "FirstName,string,Don't sync"))
    _changes, expression = impact(CONTACTS, new)
    # The scenarios naming the field, and the sync-rule scenarios of both rules (they read their mappings by rule).
    assert expression == ("(object_contact and field_firstname) or (object_contact and rule_dont_sync) or "
                          "(object_contact and rule_two_way)")
    completed = subprocess.run([sys.executable, "-m", "pytest", "steps", "--collect-only", "-q", "-m", expression,
                                "-p", "no:cacheprovider"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    selected = [line for line in completed.stdout.splitlines() if "::" in line]
    assert selected and all("test_" in line for line in selected), completed.stdout[-1500:]
    assert any("dont_sync" in line for line in selected) and any("twoway" in line for line in selected)


def test_cli_prints_the_expression_and_nothing_when_unchanged(tmp_path):
    def uat(*args):
        return subprocess.run([sys.executable, "-m", "harness.cli", "impact", *args], capture_output=True, text=True,
                              timeout=60, cwd=ROOT)
    changed = uat(str(CONTACTS), str(changed_copy(tmp_path)))
    assert changed.returncode == 0 and changed.stdout.strip().startswith("(object_contact and field_fax)")
    same = uat(str(CONTACTS), str(CONTACTS))
    assert same.returncode == 0 and same.stdout.strip() == "" and "no mapping changed" in same.stderr
    odd = tmp_path / "mystery.csv"
    odd.write_text(CONTACTS.read_text())
    unknown = uat(str(odd), str(odd))
    assert unknown.returncode == 2 and "--object" in unknown.stderr
