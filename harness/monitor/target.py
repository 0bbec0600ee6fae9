"""What `uat monitor` reads: the twin (started for the check, as `uat lint --against` does) when the profile's target
is the twin, else the sandboxes or production org and portal from the environment (UAT_SF_*, UAT_HUBSPOT_*), always
through read-only connections (harness/sandboxes/readonly.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harness.profile import Profile
from harness.sandboxes import Sandboxes
from harness.sandboxes.credentials import credentials_from_env
from harness.sandboxes.readonly import connect_read_only
from harness.sandboxes.twin_start import start_twin
from harness.sandboxes.twin_target import twin_credentials


@contextmanager
def monitor_target(profile: Profile, org: str | None = None,
                   state_dir: Path | None = None) -> Iterator[tuple[Sandboxes, str]]:
    """Yield the read-only connections and the production guard's line about them."""
    if profile.target.kind == "twin":
        with start_twin(org or profile.target.org, sync=profile.target.sync, state_dir=state_dir) as twin:
            yield connect_read_only(twin_credentials(twin.info()))
        return
    yield connect_read_only(credentials_from_env())


def describe(sandboxes: Sandboxes) -> str:
    """The target's identity, as the history keys it (deltas compare a target only with itself)."""
    return f"Salesforce {sandboxes.organization.get('Id')} / HubSpot {sandboxes.portal.get('portalId')}"
