@object_contact @object_lead
Feature: Contact sync
  HubSpot contacts and Salesforce Leads stay in step through the connector,
  field by field, exactly as the profile's mapping CSV and sync rules say.

  @field_email @field_firstname @field_lastname @field_company @critical
  Scenario: A new HubSpot contact reaches Salesforce as a Lead with every mapped field
    Given a new HubSpot contact with every mapped contact property filled
    Then within the sync window the contact is linked to a Salesforce Lead
    And the Lead holds every mapped field as the contact has it

  @field_firstname @critical
  Scenario: A Salesforce Lead update reaches HubSpot
    Given a HubSpot contact synced to a Salesforce Lead
    When the Lead's "FirstName" is changed to "Augustine" in Salesforce
    Then within the sync window the contact in HubSpot shows the change
