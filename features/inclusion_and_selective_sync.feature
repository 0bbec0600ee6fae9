@object_contact @object_lead
Feature: Inclusion list and selective sync
  Only contacts in the inclusion list go to Salesforce; only Salesforce records the integration user can see
  come to HubSpot (HubSpot KB "Create a Salesforce inclusion list"; "Salesforce selective sync").

  @critical
  Scenario: A contact outside the inclusion list does not reach Salesforce
    Given a new HubSpot contact outside the inclusion list
    Then after the sync window the contact is not linked to Salesforce

  @critical
  Scenario: Entering the inclusion list triggers the contact's sync
    Given a new HubSpot contact outside the inclusion list
    When the contact joins the inclusion list
    Then within the sync window the contact is linked to a Salesforce Lead

  @critical
  Scenario: Every segment the profile includes is in the inclusion list
    Given a new HubSpot contact in each segment the profile includes
    Then within the sync window every one of them is linked to a Salesforce Lead

  @critical
  Scenario: Salesforce records hidden from the integration user do not reach HubSpot
    Given a Salesforce Lead the integration user cannot see
    Then after the sync window no HubSpot contact has the Lead's e-mail
