@conformance @blocker
Feature: Configuration conformance
  What the target actually runs (the connector's mappings and settings, both platforms' schemas, picklists, owners,
  permissions, validation rules and automation) is compared with the profile clause by clause. Every clause is a row
  of evidence with the configuration item, expected, actual, where to change it and its functional owner; a scenario
  fails listing every differing clause of its family by name (docs/conformance.md).

  Scenario: Every mapping row of the profile runs in the connector, and no other
    When the configuration the target runs is compared with the profile
    Then every clause about mapping rows conforms to the profile

  Scenario: Every mapping runs with the profile's sync rule
    When the configuration the target runs is compared with the profile
    Then every clause about sync rules conforms to the profile

  Scenario: Every mapped field and property exists with compatible types
    When the configuration the target runs is compared with the profile
    Then every clause about mapped fields conforms to the profile

  Scenario: Every picklist value has a counterpart on the other side, both ways
    When the configuration the target runs is compared with the profile
    Then every clause about picklist values conforms to the profile

  Scenario: Every owner of synced records is an owner on both sides with the same e-mail
    When the configuration the target runs is compared with the profile
    Then every clause about owners conforms to the profile

  Scenario: The integration user can read and edit every mapped field it must
    When the configuration the target runs is compared with the profile
    Then every clause about field-level security conforms to the profile

  Scenario: HubSpot can create every record it syncs: no unmet required field or validation rule
    When the configuration the target runs is compared with the profile
    Then every clause about required fields and validation rules conforms to the profile

  Scenario: Deletes follow the profile's delete policy on both sides
    When the configuration the target runs is compared with the profile
    Then every clause about delete policy conforms to the profile

  Scenario: No automation writes a field the other system owns
    When the configuration the target runs is compared with the profile
    Then every clause about automation conforms to the profile

  Scenario: The inclusion list lets in exactly the contacts the profile includes
    When the configuration the target runs is compared with the profile
    Then every clause about the inclusion list conforms to the profile

  Scenario: The connector's settings pages say what the profile decided
    When the configuration the target runs is compared with the profile
    Then every clause about connector settings conforms to the profile

  Scenario: The automation the governance relies on exists, is active and acts as stated
    When the configuration the target runs is compared with the profile
    Then every clause about required automation conforms to the profile

  Scenario: Every clause of the profile is evaluated against this target
    When the configuration the target runs is compared with the profile
    Then every clause of the profile was evaluated against this target
