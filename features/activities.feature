@object_contact @object_lead @object_task
Feature: Activities
  HubSpot activities sync to Salesforce as Tasks on the linked record, per activity type and only where the
  type is switched on (HubSpot KB "Sync activities and tasks between HubSpot and Salesforce").

  @normal @object_call
  Scenario: A call logged in HubSpot reaches Salesforce as a Task on the Lead
    Given a HubSpot contact synced to a Salesforce Lead
    When a call is logged on the contact in HubSpot
    Then within the sync window the Lead has a Task for the call

  @normal @object_note
  Scenario: A note on the contact reaches Salesforce as a Task
    Given a HubSpot contact synced to a Salesforce Lead
    When a note is added to the contact in HubSpot
    Then within the sync window the Lead has a Task for the note
