"""A validation rule's condition on the record HubSpot would create: true refuses every record, false never fires,
None depends on what HubSpot sends (left to the behaviour scenarios, named as not evaluated)."""

from __future__ import annotations

import pytest

from harness.conformance.formula import FormulaError, on_create

MAPPED = {"LastName", "Company", "Email", "MQL_Date__c", "Lifecycle_Stage__c"}


def written(field: str) -> bool:
    return field in MAPPED


@pytest.mark.parametrize(("formula", "expected"), [
    ("ISBLANK(Rating)", True),  # no mapping writes Rating: every record is refused
    ("ISBLANK(TEXT(Rating))", True),
    ("ISBLANK(Email)", None),  # mapped: depends on whether the HubSpot contact has an e-mail
    ("AND(ISCHANGED(MQL_Date__c), NOT(ISBLANK(PRIORVALUE(MQL_Date__c))))", False),  # write-once: never on insert
    ("AND(ISPICKVAL(StageName, 'Closed Won'), ISBLANK(Amount))", False),
    ("ISPICKVAL(Lifecycle_Stage__c, 'customer')", None),
    ("OR(ISBLANK(Rating), ISBLANK(Email))", True),
    ("ISNEW() && LEN(Industry) = 0", True),
    ("IF(ISNEW(), ISBLANK(Website), false)", True),
    ("VLOOKUP(Email, 'x')", None),  # a function it does not know is never guessed
])
def test_condition_on_create(formula, expected):
    assert on_create(formula, written) is expected


def test_an_unreadable_formula_says_so():
    with pytest.raises(FormulaError):
        on_create("AND(ISBLANK(Rating)", written)
