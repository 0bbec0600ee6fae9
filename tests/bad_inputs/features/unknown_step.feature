@object_contact
Feature: A feature with a step nothing defines

  Scenario: A misspelt step
    Given a new HubSpot contact with every mapped contact property filled
    Then within the sync window the contact is linked to a Salesforce Leed
