@object_contact
Feature: A feature with a syntax error

  Scenario: A step outside the Gherkin grammar
    Given a new HubSpot contact with every mapped contact property filled
    This line is not a step
    Then within the sync window the contact is linked to a Salesforce Lead
