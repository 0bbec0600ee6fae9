"""Assertion errors whose message starts with the failure category, so the defect log can classify them."""

from __future__ import annotations

from typing import Any


class UatFailure(AssertionError):
    category = "other"

    def __init__(self, message: str, evidence: Any = None) -> None:
        self.evidence = evidence
        detail = f"\n{evidence}" if evidence not in (None, "", {}, []) else ""
        super().__init__(f"{self.category.replace('_', ' ')}: {message}{detail}")


class MappingMismatch(UatFailure):
    category = "mapping_mismatch"


class PlatformAutomation(UatFailure):
    category = "platform_automation"


class Duplicates(UatFailure):
    category = "duplicates"


class Permissions(UatFailure):
    category = "permissions"


class Picklists(UatFailure):
    category = "picklists"


class TestDataProblem(UatFailure):
    category = "test_data"
    __test__ = False  # not a pytest test class, despite the name
