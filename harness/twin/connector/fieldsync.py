"""One linked pair, field by field: what crosses which way, and what each side should hold afterwards.

Planning is pure (no writes): the object modules collect the plans of a whole cycle and write them in batches.
Special fields: the owner (always two-way, matched by e-mail and name, reset on a mismatch), the lifecycle stage
(never backwards, when the org keeps it governed), Salesforce formula fields (never written), HubSpot-calculated
properties (never written).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..clock import parse_sf_datetime
from ..hubspot.models import HsObject
from ..salesforce.schema import FieldSchema, SObjectSchema
from .hubspot_side import HubSpotSide
from .lifecycle import LIFECYCLE_PROPERTY, Funnel
from .links import Link
from .owners import UNKNOWN_PREFIX, OwnerDirectory
from .rules import Direction, FieldState, decide
from .settings import ConnectorSettings, FieldMapping, SyncRule
from .values import canonical, hs_to_sf

if TYPE_CHECKING:
    from .salesforce_side import SalesforceSide

OWNER_FIELD = "OwnerId"
VIRTUAL = "@"  # mappings of associations, not properties: the object module reads and writes them
# HubSpot's Sync Health "Permissions" error for a mapped field the integration user cannot see ("Salesforce field
# permissions missing": https://knowledge.hubspot.com/articles/kcs_article/salesforce/how-can-i-resolve-a-salesforce-
# field-permissions-missing-sync-error; category: https://knowledge.hubspot.com/salesforce/resolve-salesforce-
# integration-sync-errors). No Salesforce call fails: the connector reads as the integration user, so the field is
# simply not there to read or write.
FIELD_PERMISSIONS_MISSING = "FIELD_PERMISSIONS_MISSING"


@dataclass
class PlannedError:
    code: str
    message: str


@dataclass
class PairPlan:
    object_type: str
    link: Link
    hs: HsObject
    sf_row: dict[str, Any]
    to_sf: dict[str, Any] = field(default_factory=dict)
    to_hs: dict[str, str | None] = field(default_factory=dict)
    hs_expect: dict[str, str | None] = field(default_factory=dict)
    sf_expect: dict[str, str | None] = field(default_factory=dict)
    errors: list[PlannedError] = field(default_factory=list)
    # Extra HubSpot properties the object module adds (link ids, last sync time, ...).
    hs_extra: dict[str, str | None] = field(default_factory=dict)
    sf_extra: dict[str, Any] = field(default_factory=dict)
    partial: bool = False  # HubSpot refused some of the values written to it

    @property
    def crossed(self) -> bool:
        return bool(self.to_sf or self.to_hs or self.sf_extra)


# A translator turns (HubSpot value, Salesforce value) into canonical text and back for one mapping.
@dataclass
class Translator:
    hs: Callable[[Any], str | None]
    sf: Callable[[Any], str | None]
    hs_out: Callable[[str | None], str | None]
    sf_out: Callable[[str | None], Any]


class FieldSync:
    def __init__(self, settings: ConnectorSettings, hubspot: HubSpotSide, owners: OwnerDirectory, funnel: Funnel,
                 salesforce: SalesforceSide | None = None) -> None:
        self.settings = settings
        self.salesforce = salesforce
        self.hubspot = hubspot
        self.owners = owners
        self.funnel = funnel
        # Object modules register translators for fields with their own value spaces (deal stage, pipeline).
        self.special: dict[tuple[str, str], Callable[[FieldSchema], Translator]] = {}
        self._prepared: dict[tuple[Any, ...], tuple[list[tuple[FieldMapping, FieldSchema, Translator]],
                                                    list[PlannedError]]] = {}
        # When each mapping was added at run time (object, HubSpot property, Salesforce field) -> epoch ms.
        self.mapping_added_ms: dict[tuple[str, str, str], int] = {}

    # -- translators ----------------------------------------------------------------------------------
    def translator(self, object_type: str, mapping: FieldMapping, f: FieldSchema) -> Translator:
        maker = self.special.get((object_type, mapping.hubspot))
        if maker is not None:
            return maker(f)
        if mapping.hubspot.startswith(VIRTUAL):
            # Association values are Salesforce ids on both sides (the module translates HubSpot ids into them).
            return Translator(hs=lambda v: v or None, sf=lambda v: v or None, hs_out=lambda c: c, sf_out=lambda c: c)
        if f.name == OWNER_FIELD:
            return Translator(hs=lambda v: canonical(v, "string"), sf=self._owner_from_sf,
                              hs_out=self._owner_to_hs, sf_out=self._owner_to_sf)
        kind = f.type
        return Translator(hs=lambda v: canonical(v, kind), sf=lambda v: canonical(v, kind), hs_out=lambda c: c,
                          sf_out=lambda c: hs_to_sf(c, kind))

    def _owner_from_sf(self, user_id: Any) -> str | None:
        owner = self.owners.hubspot_owner_for_user(user_id)
        if owner is not None and owner.startswith(UNKNOWN_PREFIX) \
                and self.settings.switches["unknown_salesforce_owner"] == "leave_unset":
            return None  # HubSpot has no owner for this user: it reads as no owner
        return owner

    def _owner_to_hs(self, value: str | None) -> str | None:
        if value is not None and value.startswith(UNKNOWN_PREFIX):
            return None  # unknown_salesforce_owner=leave_unset; keep_hubspot is handled in plan()
        return value

    def _owner_to_sf(self, value: str | None) -> Any:
        user = self.owners.user_for_hubspot_owner(value)
        return user.id if user else None

    # -- planning -------------------------------------------------------------------------------------
    def plan(self, object_type: str, link: Link, hs: HsObject, sf_row: dict[str, Any], sobject: SObjectSchema,
             mappings: list[FieldMapping], forced: bool = False,
             virtual: dict[str, str | None] | None = None) -> PairPlan:
        """`forced`: a manual sync or a retry, which syncs the record whether or not a mapped value changed."""
        plan = PairPlan(object_type, link, hs, sf_row)
        prepared, problems = self.prepare(object_type, sobject, mappings)
        plan.errors.extend(problems)
        # Virtual values ("@company": the record's primary company, as its account id) sync like fields.
        properties = {**hs.properties, **virtual} if virtual else hs.properties
        fields = [(mapping, f, tr, tr.hs(properties.get(mapping.hubspot)), tr.sf(sf_row.get(f.name)))
                  for mapping, f, tr in prepared]
        # A record syncs when a mapped value it synced before has changed (unmapped changes don't trigger), when it
        # is new to the pair, or when synced by hand. Only then do mappings it never synced push their values.
        triggered = link.new or forced or any(
            (m.hubspot in link.hs_snapshot and link.hs_snapshot[m.hubspot] != hs_value)
            or (m.hubspot in link.sf_snapshot and link.sf_snapshot[m.hubspot] != sf_value)
            for m, _, _, hs_value, sf_value in fields)
        backfill = triggered and (link.new or forced
                                  or self.settings.switches["new_mapping_backfill"] == "on_next_trigger")
        for mapping, f, tr, hs_value, sf_value in fields:
            self._plan_field(plan, object_type, mapping, f, tr, hs_value, sf_value, backfill)
        return plan

    def prepare(self, object_type: str, sobject: SObjectSchema, mappings: list[FieldMapping]
                ) -> tuple[list[tuple[FieldMapping, FieldSchema, Translator]], list[PlannedError]]:
        """Each mapping's field and translator, worked out once per object (the settings rebuild this class)."""
        key = (object_type, sobject.name, tuple(mappings))
        found = self._prepared.get(key)
        if found is None:
            prepared, problems, hidden = [], [], []
            for mapping in mappings:
                f = sobject.field(mapping.salesforce)
                if f is None:
                    problems.append(PlannedError("INVALID_FIELD", f"No such column '{mapping.salesforce}' on sobject "
                                                 f"of type {sobject.name}"))
                elif mapping.rule is not SyncRule.DONT_SYNC and not self.readable(sobject, f):
                    hidden.append(f.name)
                elif not mapping.hubspot.startswith(VIRTUAL) and self.hubspot.property(object_type, mapping.hubspot) is None:
                    problems.append(PlannedError("PROPERTY_DOESNT_EXIST", f'Property "{mapping.hubspot}" does not exist'))
                else:
                    prepared.append((mapping, f, self.translator(object_type, mapping, f)))
            if hidden:
                fields = ", ".join(f"{sobject.name}.{name}" for name in hidden)
                problems.append(PlannedError(FIELD_PERMISSIONS_MISSING, f"Salesforce field permissions missing: the "
                                             f"integration user cannot see {fields} (field-level security), so "
                                             f"{'it does' if len(hidden) == 1 else 'they do'} not sync. Give the "
                                             "integration user read access, and edit where HubSpot writes."))
            found = self._prepared[key] = (prepared, problems)
        return found

    def readable(self, sobject: SObjectSchema, f: FieldSchema) -> bool:
        """Whether the integration user can see the field (a connector built without a Salesforce side sees all)."""
        return self.salesforce is None or self.salesforce.can_read(sobject, f.name)

    def _plan_field(self, plan: PairPlan, object_type: str, mapping: FieldMapping, f: FieldSchema, tr: Translator,
                    hs_value: str | None, sf_value: str | None, backfill: bool) -> None:
        link, key = plan.link, mapping.hubspot
        unsynced = key not in link.hs_snapshot and key not in link.sf_snapshot
        waits = self.settings.switches["new_mapping_backfill"] == "never"
        if unsynced and not backfill and not waits:
            return  # a mapping this pair never synced stays unsynced (no snapshot) until the record triggers
        plan.hs_expect[key], plan.sf_expect[key] = hs_value, sf_value

        def changed(snapshot: dict[str, Any], value: str | None) -> bool:
            if key in snapshot:
                return snapshot[key] != value
            # Never synced: a first sync pushes what a side holds; a mapping added later waits for a trigger.
            return value is not None and backfill

        hs_changed, sf_changed = changed(link.hs_snapshot, hs_value), changed(link.sf_snapshot, sf_value)
        if unsynced and waits and not backfill:
            # new_mapping_backfill=never: only a HubSpot edit made after the mapping was added crosses; Salesforce
            # keeps no per-field history, so its side starts from the value it holds now (the saved baseline).
            added = self.mapping_added_ms.get((object_type, key, mapping.salesforce), 0)
            hs_changed = hs_value is not None and self.hubspot.written_since(object_type, plan.hs.id, key, added)
            sf_changed = False
        rule = mapping.rule
        owner = f.name == OWNER_FIELD
        if owner and rule is not SyncRule.DONT_SYNC:
            rule = SyncRule.TWO_WAY  # documented: the owner mapping can only be two-way, whatever the screen shows
            if link.new and sf_value is not None:
                hs_changed = False  # documented: an existing Salesforce owner is honoured on the first sync
        if hs_value == sf_value or rule is SyncRule.DONT_SYNC or not (hs_changed or sf_changed):
            return  # the common case, decided without the rule table
        state = FieldState(hs_value, sf_value, hs_changed, sf_changed)
        if hs_changed and sf_changed and rule is SyncRule.TWO_WAY:
            # A real conflict: only now is it worth reading both modification times.
            modified = plan.sf_row.get("LastModifiedDate")
            state = FieldState(hs_value, sf_value, True, True,
                               self.hubspot.last_write_ms(object_type, plan.hs.id, mapping.hubspot),
                               parse_sf_datetime(modified) if modified else 0)
        direction = decide(rule, state, self.settings.conflict_rule)
        if direction is Direction.TO_SALESFORCE and (f.calculated or not f.createable and not f.updateable):
            direction = None  # formula and system fields are Salesforce's alone
        if direction is Direction.TO_HUBSPOT and not key.startswith(VIRTUAL) \
                and not self.hubspot.writable_by_connector(object_type, mapping.hubspot):
            direction = None  # HubSpot-calculated properties (lifecycle dates) are HubSpot's alone
        if direction is not None and key == LIFECYCLE_PROPERTY and self.funnel.guarded():
            current, proposed = (hs_value, sf_value) if direction is Direction.TO_HUBSPOT else (sf_value, hs_value)
            if self.funnel.backwards(current, proposed):
                direction = None  # documented: the connector cannot move lifecycle stages in reverse
        if direction is Direction.TO_HUBSPOT:
            if owner and sf_value is not None and sf_value.startswith(UNKNOWN_PREFIX) \
                    and self.settings.switches["unknown_salesforce_owner"] == "keep_hubspot":
                return
            out = tr.hs_out(sf_value)
            plan.to_hs[mapping.hubspot] = out
            plan.hs_expect[key] = sf_value if out is not None or sf_value is None else None
        elif direction is Direction.TO_SALESFORCE:
            out = tr.sf_out(hs_value)
            if owner and out is None:
                # Documented: an owner that matches no active Salesforce user resets to Salesforce's last value.
                plan.errors.append(PlannedError("OWNER_NOT_FOUND", f"{self.owners.describe_owner(hs_value)} does not match "
                                                "an active Salesforce user by name and email; the owner was reset to the "
                                                "Salesforce owner"))
                if sf_value is not None and not sf_value.startswith(UNKNOWN_PREFIX):
                    plan.to_hs[mapping.hubspot] = sf_value
                    plan.hs_expect[key] = sf_value
                return
            plan.to_sf[f.name] = out
            plan.sf_expect[key] = hs_value
