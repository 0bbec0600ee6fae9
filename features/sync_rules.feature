@object_contact @object_lead @object_company @object_account
Feature: Sync rules
  Every field mapping in the profile's mapping CSV behaves as its sync rule says, in both directions, deletes
  included (HubSpot knowledge base: "Map HubSpot properties to Salesforce fields"). The steps pick the mappings
  from the CSV, so a new mapping is tested the moment it is added.

  @critical @rule_two_way
  Scenario: Two-way mappings carry a HubSpot change to Salesforce
    Given a synced record pair whose "Two-way" mappings can be changed in HubSpot
    When every "Two-way" mapped property is changed in HubSpot
    Then within the sync window Salesforce holds the new values of every "Two-way" mapping

  @critical @rule_two_way
  Scenario: Two-way mappings carry a Salesforce change to HubSpot
    Given a synced record pair whose "Two-way" mappings can be changed in Salesforce
    When every "Two-way" mapped field is changed in Salesforce
    Then within the sync window HubSpot holds the new values of every "Two-way" mapping

  @critical @rule_two_way
  Scenario: With Two-way, the most recent change wins when both sides change
    Given a synced record pair whose "Two-way" mappings can be changed in Salesforce
    When every "Two-way" mapped property is changed in HubSpot
    And every "Two-way" mapped field is changed in Salesforce
    Then within the sync window both sides hold the Salesforce values of every "Two-way" mapping

  @critical @rule_prefer_salesforce_unless_blank
  Scenario: Prefer Salesforce unless blank fills a blank Salesforce field but never overwrites a value
    Given a synced record pair whose "Prefer Salesforce unless blank" mappings can be changed in HubSpot
    When every "Prefer Salesforce unless blank" mapped property is changed in HubSpot
    Then within the sync window Salesforce holds the new values of every "Prefer Salesforce unless blank" mapping
    When every "Prefer Salesforce unless blank" mapped property is changed in HubSpot
    Then after the sync window Salesforce still holds the earlier values of every "Prefer Salesforce unless blank" mapping
    And within the sync window HubSpot holds the Salesforce values of every "Prefer Salesforce unless blank" mapping

  @critical @rule_always_use_salesforce
  Scenario: Always use Salesforce never lets a HubSpot change reach Salesforce
    Given a synced record pair whose "Always use Salesforce" mappings can be changed in HubSpot
    When every "Always use Salesforce" mapped property is changed in HubSpot
    Then after the sync window Salesforce still holds the earlier values of every "Always use Salesforce" mapping
    And within the sync window HubSpot holds the Salesforce values of every "Always use Salesforce" mapping

  @critical @rule_always_use_salesforce
  Scenario: Always use Salesforce carries a Salesforce change to HubSpot
    Given a synced record pair whose "Always use Salesforce" mappings can be changed in Salesforce
    When every "Always use Salesforce" mapped field is changed in Salesforce
    Then within the sync window HubSpot holds the new values of every "Always use Salesforce" mapping

  @normal @rule_dont_sync
  Scenario: Don't sync keeps both sides independent
    Given a synced record pair whose "Don't sync" mappings can be changed in HubSpot
    When every "Don't sync" mapped property is changed in HubSpot
    Then after the sync window Salesforce still holds the earlier values of every "Don't sync" mapping

  @critical @rule_two_way
  Scenario: Deleting a Two-way value in HubSpot deletes it in Salesforce
    Given a synced record pair whose "Two-way" mappings can be changed in HubSpot
    When every "Two-way" mapped property that may be blank is cleared in HubSpot
    Then within the sync window Salesforce holds the new values of every "Two-way" mapping

  @critical @object_deal @object_opportunity @deal_stage
  Scenario: A deal stage moved in HubSpot does what the profile's deal stage rule says
    Given a Salesforce Opportunity synced to a HubSpot deal, moved in HubSpot to another stage of its pipeline
    Then the Opportunity's stage follows the deal or holds as the profile's deal stage rule says
