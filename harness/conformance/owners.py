"""Owners: the connector matches a Salesforce user and a HubSpot owner by e-mail only, so every Salesforce user who
owns records the integration syncs needs a HubSpot owner with the same e-mail, and every owner the profile lists
needs both.

Who "owns synced records": the active members of the org's territories (their accounts and what cascades from them)
and the owners of the records of every synced Salesforce object, as SOQL reports them now. Excluded, as documented in
docs/conformance.md: queues (a record in a queue has no person to match), the integration user (HubSpot's own records
land on it) and the user the harness connects as (the run's own records).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from harness.conformance import places
from harness.conformance.clauses import Clause, conforms, not_evaluated
from harness.conformance.observed import Observed

QUEUE_PREFIX = "00G"


def _record_owners(observed: Observed) -> Counter[str] | None:
    counts: Counter[str] = Counter()
    sobjects = sorted({s for m in observed.profile.field_mappings for s in m.salesforce_objects})
    for sobject in sobjects:
        field = observed.sf_field(sobject, "OwnerId")
        if field is None:
            continue
        rows = observed.query(f"owners of {sobject}",
                              f"SELECT OwnerId, COUNT(Id) total FROM {sobject} GROUP BY OwnerId")
        if rows is None:
            return None
        for row in rows:
            if row.get("OwnerId"):
                counts[str(row["OwnerId"])] += int(row.get("total") or row.get("expr0") or 1)
    return counts


def owner_clauses(observed: Observed) -> Iterator[Clause]:
    profile = observed.profile
    owner_of_owners = places.functional_owner(profile, "contacts", "hubspot_owner_id")
    users = observed.users
    hubspot = observed.hubspot_owners
    if users is None or hubspot is None:
        missing = "Salesforce users" if users is None else "HubSpot owners"
        yield not_evaluated("owner", "every owner of synced records", "a HubSpot owner per Salesforce owner, by e-mail",
                            f"{missing}: {observed.why.get(missing, 'unreadable')}", places.owners(), owner_of_owners)
        return
    hubspot_emails = {str(o.get("email") or "").casefold() for o in hubspot if o.get("email")}
    by_email = {str(u.get("Email") or "").casefold(): u for u in users.values() if u.get("Email")}
    integration = (profile.selective_sync.integration_user if profile.selective_sync else None) or ""
    excluded = {uid for uid, u in users.items() if integration and str(u.get("Username") or "").casefold()
                == integration.casefold()}
    if observed.api_user_id:
        excluded |= {uid for uid in users if uid[:15] == observed.api_user_id[:15]}

    why: dict[str, list[str]] = {}
    members = observed.query("territory members", "SELECT UserId FROM UserTerritory2Association WHERE IsActive = true")
    for row in members or []:
        why.setdefault(str(row["UserId"]), []).append("territory member")
    owners = _record_owners(observed)
    if owners is None:
        yield not_evaluated("owner", "owners of synced records", "a HubSpot owner per Salesforce owner, by e-mail",
                            "; ".join(v for k, v in observed.why.items() if k.startswith("owners of")),
                            places.owners(), owner_of_owners)
    for user_id, count in (owners or {}).items():
        if not user_id.startswith(QUEUE_PREFIX):
            why.setdefault(user_id, []).append(f"owns {count} synced record(s)")

    listed = {o.email.casefold(): o for o in profile.owners}
    if not profile.owners:
        yield not_evaluated("owner", "the profile's owner list", "every listed owner on both sides",
                            "the profile lists no owners (`owners`); only the current record owners are checked",
                            places.profile_setting(profile, "owners"), owner_of_owners)
    for owner in profile.owners:
        user = by_email.get(owner.email.casefold())
        active = bool(user and user.get("IsActive", True))
        yield conforms("owner", f"owner {owner.email}: Salesforce user", "an active Salesforce user with that e-mail",
                       "an active Salesforce user" if active else ("an inactive Salesforce user" if user else
                                                                   "no Salesforce user with that e-mail"),
                       active, places.owners(), owner_of_owners)
        yield conforms("owner", f"owner {owner.email}: HubSpot owner", "a HubSpot owner with that e-mail",
                       "a HubSpot owner" if owner.email.casefold() in hubspot_emails else
                       "no HubSpot owner with that e-mail", owner.email.casefold() in hubspot_emails, places.owners(),
                       owner_of_owners)
    yield from _territory_clauses(observed, by_email, owner_of_owners)
    for user_id, reasons in sorted(why.items()):
        user = users.get(user_id) or next((u for uid, u in users.items() if uid[:15] == user_id[:15]), None)
        if user_id in excluded or (user is not None and user["Id"] in excluded):
            continue
        email = str((user or {}).get("Email") or "")
        if email.casefold() in listed:
            continue  # checked above, on both sides
        label = f"owner {email or user_id}: HubSpot owner"
        found = email and email.casefold() in hubspot_emails
        yield conforms("owner", label, f"a HubSpot owner with that e-mail ({', '.join(reasons)})",
                       "a HubSpot owner" if found else
                       ("no HubSpot owner with that e-mail" if user else f"no Salesforce user {user_id}"),
                       bool(found), places.owners(), owner_of_owners)


def _territory_clauses(observed: Observed, by_email: dict[str, dict], owner_of_owners: str) -> Iterator[Clause]:
    """Each owner the profile gives a territory is an active member of it (Enterprise Territory Management)."""
    placed = [o for o in observed.profile.owners if o.territory]
    if not placed:
        return
    rows = observed.query("territory membership", "SELECT UserId, Territory2.Name, Territory2.DeveloperName "
                                                  "FROM UserTerritory2Association WHERE IsActive = true")
    page = "Salesforce Setup > Territories > (the territory) > Assigned Users"
    if rows is None:
        for owner in placed:
            yield not_evaluated("owner", f"owner {owner.email}: territory {owner.territory}", "an active member",
                                observed.why.get("territory membership", "unreadable"), page, owner_of_owners)
        return
    members: dict[str, set[str]] = {}
    for row in rows:
        territory = row.get("Territory2") or {}
        for name in (territory.get("Name"), territory.get("DeveloperName")):
            if name:
                members.setdefault(str(name).casefold(), set()).add(str(row.get("UserId"))[:15])
    for owner in placed:
        user = by_email.get(owner.email.casefold())
        assigned = members.get(str(owner.territory).casefold())
        ok = bool(user and assigned is not None and str(user.get("Id"))[:15] in assigned)
        actual = ("no such territory" if assigned is None else "an active member" if ok else
                  "not a member (the territory's members: " + (", ".join(sorted(
                      str(u.get("Email")) for u in by_email.values() if str(u.get("Id"))[:15] in assigned)) or "none")
                  + ")")
        yield conforms("owner", f"owner {owner.email}: territory {owner.territory}", "an active member", actual, ok,
                       page, owner_of_owners)
