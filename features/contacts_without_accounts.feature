@object_contact @object_company @object_account
Feature: Contacts without accounts
  Salesforce "private" contacts (no Account) sync without inventing companies; companies are created in
  Salesforce only by the documented rules (HubSpot KB "Sync Salesforce accounts to HubSpot").

  @critical
  Scenario: A Salesforce Contact without an Account reaches HubSpot without a company
    Given a Salesforce Contact without an Account
    Then within the sync window a HubSpot contact exists with the Contact's e-mail
    And the HubSpot contact is associated with no company

  @critical
  Scenario: A HubSpot company associated with a private contact creates a Salesforce Account
    Given a Salesforce Contact without an Account synced to a HubSpot contact
    When a HubSpot company is created and associated with that contact
    Then within the sync window the company is linked to a Salesforce Account

  @critical @object_lead
  Scenario: A contact that syncs as a Lead never creates an Account for its company
    Given a HubSpot contact synced to a Salesforce Lead
    When a HubSpot company is created and associated with that contact
    Then after the sync window the company is not linked to any Salesforce Account
