"""The connector's sync rules, as HubSpot's mapping screen and its mapping export name them."""

from __future__ import annotations

from enum import StrEnum


class SyncRule(StrEnum):
    TWO_WAY = "Two-way"
    PREFER_SALESFORCE_UNLESS_BLANK = "Prefer Salesforce unless blank"
    ALWAYS_USE_SALESFORCE = "Always use Salesforce"
    DONT_SYNC = "Don't sync"
