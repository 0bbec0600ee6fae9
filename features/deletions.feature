@object_contact @object_lead @object_company @object_account @object_deal @object_opportunity
Feature: Deletions
  What a delete on one side does to the other is the profile's delete policy, per object and side (`delete`: the
  other side's record goes too; `do_nothing`: it stays, unlinked). Documented: a Salesforce opportunity delete
  removes the HubSpot deal, a HubSpot deal delete never removes the opportunity, and contact and company deletes
  follow the connector's delete settings. Each object and side is exercised on a synced pair; an object the profile
  states no policy for is not evaluated and named as a residual risk.

  @critical @delete_policy
  Scenario: Every object of the profile's delete policy is exercised on both sides
    Then every object and side of the profile's delete policy is exercised by the delete scenarios

  @critical @delete_policy
  Scenario Outline: A <side> delete of a synced <sobject> does what the profile's delete policy says
    Given a synced <hubspot_object> and <sobject> pair and the profile's delete policy for a <side> delete
    When the <side> record of the pair is deleted
    Then the other side's record is deleted or kept as the delete policy says

    Examples:
      | hubspot_object | sobject     | side       |
      | contacts       | Lead        | Salesforce |
      | contacts       | Lead        | HubSpot    |
      | contacts       | Contact     | Salesforce |
      | contacts       | Contact     | HubSpot    |
      | companies      | Account     | Salesforce |
      | companies      | Account     | HubSpot    |
      | deals          | Opportunity | Salesforce |
      | deals          | Opportunity | HubSpot    |
