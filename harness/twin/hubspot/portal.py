"""The portal's actual configuration, read from `fixtures/orgs/<org>/hubspot.yaml`.

Account, limits, the switches where HubSpot's documentation is silent, property definitions and groups, owners,
pipelines, association labels, lists and workflows. The format is documented in docs/twin-hubspot.md; every
error names the file and the field to fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from .. import fixture_yaml
from .associations_catalog import AssociationLabel, parse_labels
from .lists import ListDefinition, parse_lists
from .properties import (
    DEFAULT_READ,
    OBJECT_TYPES,
    PROPERTY_TYPES,
    Pipeline,
    PortalError,
    PropertyDefinition,
    add_pipeline_options,
    parse_groups,
    parse_pipelines,
    parse_properties,
)
from .workflows import Workflow, parse_workflows

__all__ = ["DEFAULT_READ", "OBJECT_TYPES", "PROPERTY_TYPES", "Owner", "Portal", "PortalError", "PropertyDefinition",
           "load_portal"]

ACCOUNT_TYPES = {"SANDBOX", "DEVELOPER_TEST", "STANDARD", "APP_DEVELOPER"}


@dataclass
class Owner:
    id: str
    user_id: int
    email: str
    first_name: str
    last_name: str
    teams: list[dict[str, Any]] = field(default_factory=list)
    archived: bool = False

    def get(self, key: str, default: Any = None) -> Any:
        """Read like the Owners API's JSON (`owner.get("email")`, `owner["id"]`), as the portal's owners once were."""
        return self.to_api("").get(key, default)

    def __getitem__(self, key: str) -> Any:
        return self.to_api("")[key]

    def to_api(self, stamp: str) -> dict[str, Any]:
        """crm.owners.PublicOwner: userId is an int, archived a real boolean."""
        return {"id": self.id, "email": self.email, "firstName": self.first_name, "lastName": self.last_name,
                "userId": self.user_id, "userIdIncludingInactive": self.user_id, "type": "PERSON",
                "createdAt": stamp, "updatedAt": stamp, "archived": self.archived, "teams": self.teams}


@dataclass
class Limits:
    """HubSpot's documented API limits for the portal's tier (private app): the twin enforces these numbers."""

    enforced: bool = True
    ten_second: int = 190           # rolling 10-second window -> 429 TEN_SECONDLY_ROLLING
    daily: int = 1_000_000          # per day, portal time zone -> 429 DAILY
    search_per_second: int = 5      # CRM search endpoints -> 429 SECONDLY (no rate-limit headers on search)
    exports_per_day: int = 30       # CRM exports started in a rolling 24 hours -> 429


@dataclass
class Switches:
    """Behaviour where HubSpot's documentation is silent or changed over time; each is a named choice."""

    lifecycle_forward_only: bool = True       # a write cannot move lifecyclestage backwards unless first cleared
    lifecycle_backward_write: str = "ignore"  # ignore: 200 with the stage kept (the legacy API's answer) | reject: 400
    lifecycle_stamp_skipped: bool = False     # stamp hs_lifecyclestage_<stage>_date for skipped stages too
    merge_new_id: bool = True                 # contacts/companies: the merge result gets a new id (2023 changelog)
    batch_errors: str = "per_item"            # per_item: 207 with errors | atomic: 400 and nothing written
    validate_owner_ids: bool = True           # hubspot_owner_id must be an active owner's id
    search_index_lag_ms: int = 3000           # how long a write takes to reach CRM search
    export_processing_ms: int = 0             # how long an export stays PROCESSING (0: COMPLETE when first asked)
    export_zip_over_bytes: int = 2_000_000    # a CSV export larger than this is delivered zipped (HubSpot: 2 MB)
    export_rows_per_file: int = 1_000_000     # rows per CSV file inside a zipped export (HubSpot: 1,000,000)

    @classmethod
    def parse(cls, source: str, raw: Any) -> Switches:
        if raw is None:
            return cls()
        if not isinstance(raw, Mapping):
            raise PortalError(f"{source}: switches: a mapping of switch name -> value")
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in known:
                raise PortalError(f"{source}: switches.{key}: unknown switch; use one of {sorted(known)}")
            default = getattr(cls(), key)
            if isinstance(default, bool) and not isinstance(value, bool):
                raise PortalError(f"{source}: switches.{key}: true or false, not {value!r}")
            if isinstance(default, int) and not isinstance(default, bool) and (not isinstance(value, int) or value < 0):
                raise PortalError(f"{source}: switches.{key}: a whole number >= 0, not {value!r}")
            values[key] = value
        switches = cls(**values)
        if switches.lifecycle_backward_write not in ("ignore", "reject"):
            raise PortalError(f"{source}: switches.lifecycle_backward_write: ignore or reject")
        if switches.batch_errors not in ("per_item", "atomic"):
            raise PortalError(f"{source}: switches.batch_errors: per_item or atomic")
        return switches


@dataclass
class Portal:
    portal_id: int
    account_type: str
    time_zone: str
    currency: str
    properties: dict[str, dict[str, PropertyDefinition]]  # object type -> name -> definition
    owners: list[Owner]
    raw: dict[str, Any]
    groups: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    pipelines: dict[str, list[Pipeline]] = field(default_factory=dict)
    association_labels: list[AssociationLabel] = field(default_factory=list)
    lists: list[ListDefinition] = field(default_factory=list)
    workflows: list[Workflow] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)
    switches: Switches = field(default_factory=Switches)
    source: str = "hubspot.yaml"

    def property(self, object_type: str, name: str) -> PropertyDefinition | None:
        return self.properties.get(object_type, {}).get(name)

    def owner(self, owner_id: str) -> Owner | None:
        return next((o for o in self.owners if o.id == str(owner_id)), None)

    def owner_by_user(self, user_id: int | str) -> Owner | None:
        return next((o for o in self.owners if str(o.user_id) == str(user_id)), None)

    def pipeline(self, object_type: str, pipeline_id: str) -> Pipeline | None:
        return next((p for p in self.pipelines.get(object_type, []) if p.id == str(pipeline_id) and not p.archived), None)

    def lifecycle_order(self, object_type: str = "contacts") -> list[str]:
        """The lifecycle stages in funnel order: the option order of the `lifecyclestage` property."""
        definition = self.property(object_type, "lifecyclestage")
        if definition is None:
            return []
        return [o["value"] for o in sorted(definition.options, key=lambda o: o["displayOrder"])]


def _owners(source: str, raw: Any) -> list[Owner]:
    owners: list[Owner] = []
    for index, spec in enumerate(raw or []):
        where = f"{source}: owners[{index}]"
        if not isinstance(spec, Mapping):
            raise PortalError(f"{where}: an owner is a mapping with id, userId, email, firstName, lastName")
        for key in ("id", "userId", "email"):
            if not spec.get(key):
                raise PortalError(f"{where}.{key}: required")
        if not str(spec["id"]).isdigit():
            raise PortalError(f"{where}.id: owner ids are numeric strings such as \"71000001\", not {spec['id']!r}")
        try:
            user_id = int(spec["userId"])
        except (TypeError, ValueError):
            raise PortalError(f"{where}.userId: a whole number, not {spec['userId']!r}") from None
        teams = [{"id": str(t["id"]), "name": str(t.get("name", "")), "primary": bool(t.get("primary", False))}
                 for t in spec.get("teams") or []]
        owners.append(Owner(str(spec["id"]), user_id, str(spec["email"]), str(spec.get("firstName", "")),
                            str(spec.get("lastName", "")), teams, bool(spec.get("archived", False))))
    ids = [o.id for o in owners]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise PortalError(f"{source}: owners: duplicate owner id(s) {', '.join(duplicates)}; each owner id is unique")
    return owners


def _limits(source: str, raw: Any) -> Limits:
    if raw is None:
        return Limits()
    if not isinstance(raw, Mapping):
        raise PortalError(f"{source}: limits: a mapping such as {{ten_second: 190, daily: 1000000, search_per_second: 5}}")
    known = {f.name for f in fields(Limits)}
    for key, value in raw.items():
        if key not in known:
            raise PortalError(f"{source}: limits.{key}: unknown limit; use one of {sorted(known)}")
        if key == "enforced":
            if not isinstance(value, bool):
                raise PortalError(f"{source}: limits.enforced: true or false")
        elif not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise PortalError(f"{source}: limits.{key}: a whole number >= 1, not {value!r}")
    return Limits(**dict(raw))


def load_portal(path: Path) -> Portal:
    source = str(path)
    try:
        raw = fixture_yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise PortalError(f"{path}: not valid YAML ({error})") from error
    except OSError as error:
        raise PortalError(f"{path}: cannot read the portal fixture ({error.strerror})") from error
    if not isinstance(raw, Mapping):
        raise PortalError(f"{path}: the portal fixture is a mapping with account, properties, owners, ...")
    account = raw.get("account") or {}
    account_type = str(account.get("type", "SANDBOX"))
    if account_type not in ACCOUNT_TYPES:
        raise PortalError(f"{source}: account.type: {account_type!r}; use one of {sorted(ACCOUNT_TYPES)}")
    properties = parse_properties(source, raw.get("properties"))
    pipelines = parse_pipelines(source, raw.get("pipelines"))
    add_pipeline_options(properties, pipelines)
    owners = _owners(source, raw.get("owners"))
    portal = Portal(portal_id=int(account.get("portal_id", 24681357)), account_type=account_type,
                    time_zone=str(account.get("time_zone", "US/Eastern")), currency=str(account.get("currency", "USD")),
                    properties=properties, owners=owners, raw=dict(raw),
                    groups=parse_groups(source, raw.get("property_groups"), properties), pipelines=pipelines,
                    limits=_limits(source, raw.get("limits")), switches=Switches.parse(source, raw.get("switches")),
                    source=source)
    portal.association_labels = parse_labels(source, raw.get("association_labels"))
    portal.lists = parse_lists(source, raw.get("lists"), portal)
    portal.workflows = parse_workflows(source, raw.get("workflows"), portal)
    return portal
