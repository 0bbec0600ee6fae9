@object_contact
Feature: Merges
  Records merged on either side leave one synced record behind and no silent orphan (Salesforce merge: losers
  deleted with MasterRecordId; HubSpot KB: merge into the record that currently syncs with HubSpot; HubSpot
  merge: both ids resolve to the survivor and only the primary keeps syncing; HubSpot company merges are blocked
  while the integration is on).

  @critical @object_contact
  Scenario: Merging a duplicate into the Salesforce Contact HubSpot syncs with keeps one clean pair
    Given a HubSpot contact synced to a Salesforce Contact on an Account
    And a duplicate of that Contact in Salesforce that HubSpot does not sync
    When the duplicate is merged into the synced Contact in Salesforce
    Then after the sync window the HubSpot contact is still linked to the master Contact

  @critical @object_contact
  Scenario: A HubSpot contact whose Salesforce Contact is merged away is relinked or marked, never left silently
    Given two Salesforce Contacts synced to two HubSpot contacts
    When the second Contact is merged into the first in Salesforce
    Then within the sync window the second HubSpot contact is relinked to the master or marked as deleted in Salesforce
    And the first HubSpot contact is still linked to the master Contact

  @critical @object_lead
  Scenario: Merging two Salesforce Leads relinks or marks the loser's HubSpot contact
    Given two HubSpot contacts synced to two Salesforce Leads
    When the second Lead is merged into the first in Salesforce
    Then within the sync window the second HubSpot contact is relinked to the master or marked as deleted in Salesforce

  @critical @object_account @object_company
  Scenario: Merging Salesforce Accounts keeps the master's company and the reconciliation reports the other
    Given two Salesforce Accounts synced to two HubSpot companies
    When the second Account is merged into the first in Salesforce
    Then after the sync window the first HubSpot company is still linked to the master Account
    And the reconciliation reports the second HubSpot company as linked to a merged-away record

  @critical @object_contact
  Scenario: Merging HubSpot contacts leaves only the primary syncing
    Given two HubSpot contacts synced to two Salesforce Leads
    When the second HubSpot contact is merged into the first
    Then both HubSpot ids resolve to the same surviving contact
    And within the sync window a change to the survivor reaches its Salesforce record

  @normal @object_company
  Scenario: HubSpot refuses to merge companies while the integration is on
    Given two Salesforce Accounts synced to two HubSpot companies
    Then merging the two HubSpot companies is refused
