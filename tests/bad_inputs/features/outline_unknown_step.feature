@object_contact
Feature: An outline whose filled-in step matches nothing

  Scenario Outline: A placeholder that becomes an unknown step
    Given a new HubSpot contact with every mapped contact property filled
    Then within the sync window the contact is <where>

    Examples:
      | where                        |
      | linked to a Salesforce Lead  |
      | linked to a Salesforce Stork |
