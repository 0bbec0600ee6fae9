@reconciliation @object_contact @object_lead @object_company @object_account
Feature: Reconciliation
  The whole seeded population, compared across the two systems after the sync window: counts within
  tolerance, key totals equal, every mapped field in agreement, no orphans (the guide: "Reconciliation tests:
  object counts must match within tolerance; key field totals verified after each sync cycle").

  Background:
    Given the seeded population has synced

  @blocker
  Scenario: Object counts match within tolerance
    Then every synced object's counts agree within the profile's tolerance

  @critical
  Scenario: Every mapped field agrees on both sides
    Then every mapped field of every synced pair agrees per its sync rule

  @critical
  Scenario: Key field totals agree
    Then every key field total in the profile agrees on both sides

  @critical
  Scenario: No orphaned records
    Then there are no orphaned records of any class
