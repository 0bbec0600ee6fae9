"""GOV013-GOV018: what configuration conformance needs from the profile."""

from __future__ import annotations

from harness.lint import Severity

from .test_rules import findings_for, fired


def test_shipped_profile_states_everything_conformance_needs(tmp_path):
    findings = findings_for(tmp_path)
    assert not [f for f in findings if f.rule in {"GOV013", "GOV014", "GOV015", "GOV016", "GOV017", "GOV018"}]


def test_a_synced_object_without_a_delete_policy_is_named(tmp_path):
    findings = findings_for(tmp_path, lambda d: d["delete_policy"].pop("companies"))
    assert any("companies is synced but the profile states no delete policy" in f.message
               for f in fired(findings, "GOV013", Severity.WARNING))


def test_an_empty_owner_list_with_mapped_owners_warns_and_a_bad_email_is_an_error(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert fired(findings_for(tmp_path / "a", lambda d: d.pop("owners")), "GOV014", Severity.WARNING)
    bad = findings_for(tmp_path / "b", lambda d: d["owners"].append({"email": "Nadia Ortiz"}))
    assert any("'Nadia Ortiz' is not an e-mail address" in f.message for f in fired(bad, "GOV014"))


def test_two_values_renamed_to_one_hubspot_option_cannot_come_back(tmp_path):
    def edit(d):
        d["normalisation"]["region"]["hubspot_values"] = {"NA": "Americas", "EMEA": "Americas"}
    messages = [f.message for f in fired(findings_for(tmp_path, edit), "GOV015")]
    assert any("['NA', 'EMEA'] all become HubSpot option 'Americas'" in m for m in messages), messages


def test_sandboxes_without_a_connector_export_warn(tmp_path):
    findings = findings_for(tmp_path, lambda d: d.update(target={"kind": "sandboxes"}))
    assert fired(findings, "GOV016", Severity.WARNING)


def test_connector_settings_the_profile_leaves_unset_are_named(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    partial = findings_for(tmp_path / "a", lambda d: d["connector"]["deals"].pop("stage_rule"))
    assert [f.message for f in fired(partial, "GOV017", Severity.WARNING)] == [
        "the profile does not state 1 connector setting(s) (deals.stage_rule): what the integration's settings pages "
        "say is not checked"]
    none = fired(findings_for(tmp_path / "b", lambda d: d.pop("connector")), "GOV017", Severity.WARNING)
    assert "24 connector setting(s)" in none[0].message


def test_an_immutable_timestamp_without_its_write_once_rule_is_named_per_object(tmp_path):
    def edit(d):
        d["required_automation"]["validation_rules"] = [
            r for r in d["required_automation"]["validation_rules"] if (r["object"], r.get("field")) != (
                "Contact", "SQL_Date__c")]
    messages = [f.message for f in fired(findings_for(tmp_path, edit), "GOV018", Severity.WARNING)]
    assert len(messages) == 1 and "SQL_Date__c is immutable" in messages[0] and "on Contact:" in messages[0], messages
