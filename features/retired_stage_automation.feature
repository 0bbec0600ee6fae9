@object_contact @object_lead @field_lifecyclestage
Feature: Retired-stage automation
  No automation on either platform sets or tests a retired lifecycle stage, and no record ever lands in one
  (the guide: "Leaving automation running on retired stages"; "Catalogue every flow, process builder, and
  trigger; confirm none target retired stages").

  @blocker @audit
  Scenario: The automation audit finds no automation on a retired stage
    When the automation of both platforms is catalogued
    Then no active automation sets a retired lifecycle stage
    And no active automation tests a retired lifecycle stage

  @critical @audit
  Scenario: No two systems automate the same governed field
    When the automation of both platforms is catalogued
    Then no governed field is automated by both systems or by the system that does not own it

  @critical
  Scenario: No seeded record is in a retired stage after the sync window
    Given the seeded population has synced
    Then no HubSpot contact and no Salesforce Lead or Contact is in a retired lifecycle stage

  @critical
  Scenario: Moving a contact through the funnel never triggers a retired stage
    Given a HubSpot contact synced to a Salesforce Lead
    When the contact's lifecycle stage is set to "salesqualifiedlead" in HubSpot
    Then after the sync window neither side holds a retired lifecycle stage for the contact

  @critical
  Scenario: Neither platform still offers a retired stage
    When the picklist mappings of the profile are compared with both platforms' definitions
    Then neither side offers a retired lifecycle stage
