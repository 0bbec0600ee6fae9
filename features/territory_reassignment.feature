@object_account @object_contact @field_hubspot_owner_id
Feature: Territory reassignment and ownership
  Territory realignment in Salesforce and owner changes on either side reach HubSpot as owner changes, and
  owner edits never round-trip (HubSpot KB: owners sync by exact e-mail and name match; "Letting both systems
  own contact ownership" is a common mistake).

  @critical @object_account
  Scenario: Running territory assignment moves an account to its region's owner, and HubSpot follows
    Given a Salesforce Account in region "NA" synced to a HubSpot company
    When the Account's region is changed to "EMEA" and territory assignment runs
    Then within the sync window the HubSpot company is owned by the EMEA owner

  @critical @object_lead
  Scenario: A Salesforce owner change reaches the HubSpot contact
    Given a HubSpot contact synced to a Salesforce Lead
    When the Lead's owner is changed to the "APAC" owner in Salesforce
    Then within the sync window the HubSpot contact is owned by the APAC owner
    And after the sync window the Lead is still owned by the APAC owner

  @critical @object_lead
  Scenario: An owner unknown to Salesforce does not overwrite the Salesforce owner
    Given a HubSpot contact synced to a Salesforce Lead
    When the contact's owner is set in HubSpot to an owner who is not a Salesforce user
    Then after the sync window the Lead keeps its Salesforce owner

  @normal @field_country
  Scenario Outline: Multi-region records keep their country on both sides
    Given a HubSpot contact in country "<country>" synced to a Salesforce Lead
    Then within the sync window the Lead's "Country" is "<country>"

    Examples:
      | country        |
      | United States  |
      | Germany        |
      | Japan          |
