Feature: Deletions
  What a delete on one side does to the other, as documented: Salesforce opportunity deletes remove the
  HubSpot deal, HubSpot deal deletes never remove the opportunity, and contact deletes follow the
  connector's "Deleting contacts" setting.

  @critical @object_opportunity @object_deal
  Scenario: Deleting a Salesforce Opportunity deletes the HubSpot deal
    Given a Salesforce Opportunity synced to a HubSpot deal
    When the Opportunity is deleted in Salesforce
    Then within the sync window the HubSpot deal is archived

  @critical @object_opportunity @object_deal
  Scenario: Deleting a HubSpot deal leaves the Salesforce Opportunity in place
    Given a Salesforce Opportunity synced to a HubSpot deal
    When the HubSpot deal is archived
    Then after the sync window the Salesforce Opportunity still exists

  @normal @object_contact @object_lead
  Scenario: Deleting a HubSpot contact leaves the Salesforce Lead in place
    Given a HubSpot contact synced to a Salesforce Lead
    When the HubSpot contact is archived
    Then after the sync window the Salesforce Lead still exists
