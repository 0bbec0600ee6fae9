"""State and Country/Territory Picklists on save: the text integration values and the ISO code picklists kept
in step, as Salesforce's field-syncing logic documents
(https://help.salesforce.com/s/articleView?id=xcloud.admin_state_country_picklists_field_syncing.htm):

- a valid code sets the text to its integration value; a valid text sets the code;
- clearing the country clears the state; a state needs a country, and must be one of that country's states;
- on create, a text that disagrees with the code follows the code; on update it is refused;
- anything else is refused with FIELD_INTEGRITY_EXCEPTION, in the platform's words.

Choices where the documentation is silent: integration values match case-insensitively and are stored in their
configured spelling; a country with no states configured keeps a free-text state (with no code); when only the
country changes, a state that does not belong to the new country is cleared.
"""

from __future__ import annotations

from typing import Any

from . import exceptions as err
from .address_fields import Address, AddressPicklists, Country
from .schema import SObjectSchema


class AddressIntegrity(err.SalesforceError):
    error_code = "FIELD_INTEGRITY_EXCEPTION"


def _bad_country(label: str, field: str) -> AddressIntegrity:
    return AddressIntegrity("There's a problem with this country, even though it may appear correct. Please select a "
                            f"country/territory from the list of valid countries.: {label}", [field])


def _bad_state(label: str, field: str) -> AddressIntegrity:
    return AddressIntegrity("There's a problem with this state, even though it may appear correct. Please select a "
                            f"state from the list of valid states.: {label}", [field])


class AddressRules:
    def __init__(self, picklists: AddressPicklists | None) -> None:
        self.picklists = picklists

    def apply(self, sobject: SObjectSchema, changes: dict[str, Any], previous: dict[str, Any] | None) -> None:
        """Complete `changes` (stored values about to be written) so text and code agree, or raise."""
        if self.picklists is None:
            return
        for address in self.picklists.of(sobject.name):
            self._country(sobject, address, changes, previous)
            self._state(sobject, address, changes, previous or {})

    @staticmethod
    def _label(sobject: SObjectSchema, name: str) -> str:
        found = sobject.field(name)
        return found.label if found is not None else name

    def _country(self, sobject: SObjectSchema, a: Address, changes: dict[str, Any],
                 previous: dict[str, Any] | None) -> None:
        assert self.picklists is not None
        if a.country not in changes and a.country_code not in changes:
            return
        text, code = changes.get(a.country), changes.get(a.country_code)
        country: Country | None
        if code is not None:
            country = self.picklists.country_by_code(str(code))
            if country is None:
                raise AddressIntegrity(f"The {a.country_code} field contains {code}, which isn't an available "
                                       "country/territory.", [a.country_code])
            named = self.picklists.country_by_name(str(text)) if text is not None else country
            if named != country and previous is not None:
                raise _bad_country(self._label(sobject, a.country), a.country)
        elif text is not None:
            country = self.picklists.country_by_name(str(text))
            if country is None:
                raise _bad_country(self._label(sobject, a.country), a.country)
        else:
            country = None
        changes[a.country_code] = country.code if country else None
        changes[a.country] = country.name if country else None

    def _state(self, sobject: SObjectSchema, a: Address, changes: dict[str, Any], previous: dict[str, Any]) -> None:
        assert self.picklists is not None
        country_code = changes[a.country_code] if a.country_code in changes else previous.get(a.country_code)
        country = self.picklists.country_by_code(str(country_code)) if country_code else None
        if a.state not in changes and a.state_code not in changes:
            if a.country_code in changes and country_code != previous.get(a.country_code):
                self._follow_country(a, changes, previous, country)
            return
        text, code = changes.get(a.state), changes.get(a.state_code)
        if code is None and text is None:
            changes[a.state] = changes[a.state_code] = None
            return
        if country is None:
            field = a.state_code if code is not None else a.state
            raise AddressIntegrity("A country/territory must be specified before specifying a state value for field: "
                                   f"{self._label(sobject, field)}", [field])
        if code is not None:
            match = next(((c, n) for c, n in country.states.items() if c.lower() == str(code).lower()), None)
            if match is None:
                raise AddressIntegrity(f"The {a.state_code} field contains {code}, which isn't an available state. "
                                       "Your administrator can add it for you.", [a.state_code])
            if text is not None and str(text).casefold() != match[1].casefold() and previous:
                raise _bad_state(self._label(sobject, a.state), a.state)
        elif country.states:
            match = next(((c, n) for c, n in country.states.items() if n.casefold() == str(text).strip().casefold()),
                         None)
            if match is None:
                raise _bad_state(self._label(sobject, a.state), a.state)
        else:
            changes[a.state_code] = None  # a country without state picklist values keeps a free-text state
            return
        changes[a.state_code], changes[a.state] = match

    @staticmethod
    def _follow_country(a: Address, changes: dict[str, Any], previous: dict[str, Any], country: Country | None) -> None:
        """Only the country changed: keep the state if it belongs to the new country, else clear it."""
        code, text = previous.get(a.state_code), previous.get(a.state)
        if country is None or (code and code not in country.states) or (not code and text and country.states):
            changes[a.state] = changes[a.state_code] = None
