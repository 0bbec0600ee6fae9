@object_contact @object_lead @object_account @object_opportunity
Feature: Lead conversion
  Converting a synced Lead in Salesforce moves the HubSpot contact onto the converted Contact, without a
  duplicate company, and leaves the Lead read-only (Salesforce convertLead; HubSpot "most recently updated
  record with a matching email", even when converted from a Lead to a Contact).

  @critical @field_salesforcecontactid
  Scenario: Converting into a new Account relinks the HubSpot contact to the new Contact
    Given a HubSpot contact synced to a Salesforce Lead
    When the Lead is converted into a new Account without an Opportunity
    Then within the sync window the contact is linked to the converted Salesforce Contact
    And the converted Lead can no longer be updated

  @critical @object_company
  Scenario: Converting into an existing Account creates no duplicate company in HubSpot
    Given a Salesforce Account synced to a HubSpot company
    And a HubSpot contact synced to a Salesforce Lead
    When the Lead is converted into that Account without an Opportunity
    Then within the sync window the contact is linked to the converted Salesforce Contact
    And HubSpot holds exactly one company for that Account

  @critical @field_lifecyclestage
  Scenario: Converting with an Opportunity makes the contact an opportunity in HubSpot
    Given a HubSpot contact synced to a Salesforce Lead
    When the Lead is converted into a new Account with an Opportunity
    Then within the sync window the contact is linked to the converted Salesforce Contact
    And within the sync window the contact's lifecycle stage is "opportunity"

  @normal @field_lifecyclestage
  Scenario: Converting without an Opportunity leaves the lifecycle stage alone
    Given a HubSpot contact in lifecycle stage "salesqualifiedlead" synced to a Salesforce Lead
    When the Lead is converted into a new Account without an Opportunity
    Then within the sync window the contact is linked to the converted Salesforce Contact
    And after the sync window the contact's lifecycle stage is still "salesqualifiedlead"

  @critical @field_jobtitle
  Scenario: After conversion, HubSpot changes reach the Contact, not the Lead
    Given a HubSpot contact synced to a Salesforce Lead
    And the Lead is converted into a new Account without an Opportunity
    And within the sync window the contact is linked to the converted Salesforce Contact
    When "jobtitle" is changed in HubSpot
    Then within the sync window the converted Contact's "Title" holds the new value
