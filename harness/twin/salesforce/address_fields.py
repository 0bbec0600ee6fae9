"""State and Country/Territory Picklists, as an org that has them enabled describes its addresses.

For each address (Lead's `Country`, Account's `Billing…`, Contact's `Mailing…`) the platform keeps the text
fields (`Country`, `State`: the *integration values*, by default the full names) and adds restricted picklists
of ISO codes (`CountryCode`, `StateCode`), the state code dependent on the country code. The fixture's
`address_picklists:` block names the enabled countries and states and which objects carry which addresses;
this module turns it into field specs in the fixture's own terms, so `schema.py` parses them like any field.
https://help.salesforce.com/s/articleView?id=xcloud.admin_state_country_picklists_integ_values.htm
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LABELS = {"": "", "Billing": "Billing ", "Shipping": "Shipping ", "Mailing": "Mailing ", "Other": "Other "}


class AddressSpecError(ValueError):
    """The block itself is wrong; the schema loader adds the file name."""


@dataclass(frozen=True)
class Country:
    code: str
    name: str  # the integration value, as Salesforce defaults it: the ISO name
    states: dict[str, str] = field(default_factory=dict)  # state code -> state name (its integration value)


@dataclass(frozen=True)
class Address:
    """The four fields of one address on one object."""

    prefix: str

    @property
    def country(self) -> str:
        return f"{self.prefix}Country"

    @property
    def country_code(self) -> str:
        return f"{self.prefix}CountryCode"

    @property
    def state(self) -> str:
        return f"{self.prefix}State"

    @property
    def state_code(self) -> str:
        return f"{self.prefix}StateCode"

    @property
    def compound(self) -> str:
        return f"{self.prefix}Address"


@dataclass
class AddressPicklists:
    countries: list[Country]
    addresses: dict[str, list[Address]]  # object name -> its addresses

    def country_by_code(self, code: str) -> Country | None:
        return next((c for c in self.countries if c.code.lower() == code.lower()), None)

    def country_by_name(self, name: str) -> Country | None:
        return next((c for c in self.countries if c.name.casefold() == name.strip().casefold()), None)

    def of(self, object_name: str) -> list[Address]:
        return self.addresses.get(object_name, [])


def parse(raw: Any) -> AddressPicklists | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) - {"countries", "addresses"}:
        raise AddressSpecError("address_picklists takes countries (a list of {code, name, states}) and addresses "
                               "(object: [address prefixes], '' for Lead's Country/State)")
    countries = []
    for index, item in enumerate(raw.get("countries") or []):
        if not isinstance(item, dict) or not item.get("code") or not item.get("name") \
                or set(item) - {"code", "name", "states"}:
            raise AddressSpecError(f"address_picklists.countries[{index}]: expected {{code, name, states}} with an "
                                   "ISO code and the country's name, e.g. {code: US, name: United States}")
        states = item.get("states") or {}
        if not isinstance(states, dict):
            raise AddressSpecError(f"address_picklists.countries[{index}].states: expected code: name pairs")
        countries.append(Country(str(item["code"]), str(item["name"]), {str(k): str(v) for k, v in states.items()}))
    if not countries:
        raise AddressSpecError("address_picklists.countries: list the enabled countries")
    addresses: dict[str, list[Address]] = {}
    for object_name, prefixes in (raw.get("addresses") or {}).items():
        for prefix in prefixes or [""]:
            prefix = str(prefix or "")
            if prefix not in LABELS:
                raise AddressSpecError(f"address_picklists.addresses.{object_name}: {prefix!r} is not an address "
                                       f"prefix; use one of {sorted(LABELS)}")
            addresses.setdefault(str(object_name), []).append(Address(prefix))
    return AddressPicklists(countries, addresses)


def field_specs(picklists: AddressPicklists) -> dict[str, dict[str, dict[str, Any]]]:
    """object -> field name -> fixture-style spec, for every address field the feature adds or repurposes."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    country_values = [{"value": c.code, "label": c.name} for c in picklists.countries]
    state_values: dict[str, dict[str, Any]] = {}
    for country in picklists.countries:
        for code, name in country.states.items():
            entry = state_values.setdefault(code, {"value": code, "label": name, "valid_for": []})
            entry["valid_for"].append(country.code)
    for object_name, addresses in picklists.addresses.items():
        fields = out.setdefault(object_name, {})
        for address in addresses:
            label = LABELS[address.prefix]
            fields[address.country] = {"type": "string", "length": 80, "label": f"{label}Country"}
            fields[address.country_code] = {"type": "picklist", "restricted": True, "values": country_values,
                                            "label": f"{label}Country Code"}
            fields[address.state] = {"type": "string", "length": 80, "label": f"{label}State/Province"}
            fields[address.state_code] = {"type": "picklist", "restricted": True, "controller": address.country_code,
                                          "values": list(state_values.values()), "label": f"{label}State/Province Code"}
    return out
