@object_contact @object_lead @object_company @object_account @object_deal @object_opportunity
Feature: Contract matrix
  Every row of the profile's mapping CSVs, exercised on its object in the direction its sync rule allows and the one
  it refuses, blanks included (HubSpot knowledge base: "Map HubSpot properties to Salesforce fields"). Per object,
  one record is written in HubSpot and one in Salesforce, every mapped field at once; after one connector cycle each
  row is a named check. A row that cannot be exercised fails with the reason: nothing is dropped.

  @critical @contract_matrix
  Scenario: Every mapping row belongs to an object pair the matrix exercises
    Then every mapping row of the profile is exercised by the contract matrix

  @critical @contract_matrix
  Scenario Outline: Every <hubspot_object> to <sobject> mapping row behaves as its sync rule says, blanks included
    Given two synced <hubspot_object> and <sobject> records for the contract matrix
    When every mapped field is written at once, on one record in HubSpot and on the other in Salesforce
    Then after one connector cycle every mapping row holds what its sync rule says
    When every mapped field that may be blank is cleared, on one record in HubSpot and on the other in Salesforce
    Then after one connector cycle every mapping row holds what its sync rule says

    Examples:
      | hubspot_object | sobject     |
      | contacts       | Lead        |
      | contacts       | Contact     |
      | companies      | Account     |
      | deals          | Opportunity |
