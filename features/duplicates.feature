@object_contact @object_lead @field_email
Feature: Duplicates
  One person is one record on each side: the connector matches on e-mail before it creates anything, and
  both systems deduplicate on the same key (HubSpot: "HubSpot identifies duplicate Salesforce leads/contacts
  only by email"; the guide: "one system merges what the other splits").

  @critical
  Scenario: A new HubSpot contact whose e-mail is already on a Salesforce Lead links to that Lead
    Given a Salesforce Lead that is not yet in HubSpot
    When a HubSpot contact is created with the Lead's e-mail
    Then within the sync window the contact is linked to that Lead
    And Salesforce holds exactly one Lead with that e-mail

  @critical
  Scenario: E-mail matching ignores letter case
    Given a Salesforce Lead that is not yet in HubSpot
    When a HubSpot contact is created with the Lead's e-mail in upper case
    Then within the sync window the contact is linked to that Lead
    And Salesforce holds exactly one Lead with that e-mail

  @critical
  Scenario: The same person created on both sides ends as one linked pair
    Given a person created as a HubSpot contact and as a Salesforce Lead with the same e-mail
    Then within the sync window there is exactly one HubSpot contact and one Salesforce Lead for that e-mail
    And the contact is linked to that Lead

  @critical @field_company
  Scenario: Two different people at the same company both reach Salesforce
    Given a HubSpot contact synced to a Salesforce Lead
    When a second HubSpot contact is created with the same name and company but another e-mail
    Then within the sync window the second contact is linked to its own Salesforce Lead

  @normal
  Scenario: HubSpot refuses a second contact with an e-mail already in use
    Given a HubSpot contact synced to a Salesforce Lead
    Then creating another HubSpot contact with that e-mail is refused as a conflict
