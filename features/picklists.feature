@object_contact @object_lead @object_account
Feature: Picklists
  Picklist values agree across the two sides before they sync: every value HubSpot can hold is one
  Salesforce accepts (the guide: "Picklist values not normalized before sync").

  @critical
  Scenario: Every option of a picklist-mapped HubSpot property is a valid Salesforce value
    When the picklist mappings of the profile are compared with both platforms' definitions
    Then every HubSpot option of a mapped picklist exists in the Salesforce picklist

  @critical @field_country
  Scenario: A country variant from the normalisation table reaches Salesforce in its canonical spelling
    Given a HubSpot contact synced to a Salesforce Lead
    When the contact's "country" is set in HubSpot to a variant listed in the profile's normalisation table
    Then within the sync window the Lead holds a valid Salesforce value for "Country"
    And no picklist sync error is recorded for the contact

  @normal @field_hs_lead_status
  Scenario: Every Salesforce Lead Status has a HubSpot lead status option
    When the picklist mappings of the profile are compared with both platforms' definitions
    Then every Salesforce Lead Status value is an option of the HubSpot lead status
