"""The automation catalogue and the active duplicate rules as plain data, for the sign-off's root causes.

Read once, after the suite, through the same APIs a real sandbox answers (Tooling API, HubSpot automation flows, SOQL
on DuplicateRule), so a cause can name the flow that writes a field or the duplicate rule that refuses a record.
Whatever cannot be read is left out with the reason: causes are then inferred from the rest.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from harness.audit import policy_from_profile, run_audit
from harness.profile import Profile
from harness.sandboxes import Sandboxes


def configuration_evidence(sandboxes: Sandboxes, profile: Profile) -> dict[str, Any]:
    out: dict[str, Any] = {"automation": None, "duplicate_rules": None, "unread": []}
    try:
        out["automation"] = [asdict(a) for a in run_audit(sandboxes, policy_from_profile(profile)).catalogue]
    except Exception as error:  # a catalogue that cannot be read leaves the causes to the other evidence
        out["unread"].append(f"automation catalogue: {type(error).__name__}: {error}"[:300])
    try:
        out["duplicate_rules"] = sandboxes.salesforce.query_all(
            "SELECT DeveloperName, SobjectType, IsActive FROM DuplicateRule")
    except Exception as error:
        out["unread"].append(f"duplicate rules: {type(error).__name__}: {error}"[:300])
    return out
