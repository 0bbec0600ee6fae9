Feature: Café sync
  Scenario: x
    Given a new HubSpot contact with every mapped contact property filled
