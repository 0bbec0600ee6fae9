@object_contact @object_lead @field_lifecyclestage
Feature: Lifecycle progression
  Lifecycle stage is a governed business state: HubSpot owns it up to MQL, Salesforce from SQL on; it moves
  forward only, each stage's timestamp is stamped once, and Lead Status stays independent of it (the guide's
  source-of-truth model and "must-have lifecycle and timestamp fields").

  @critical
  Scenario: A contact moves from MQL to SQL to opportunity to customer, and Salesforce follows
    Given a HubSpot contact in lifecycle stage "marketingqualifiedlead" synced to a Salesforce Lead
    Then within the sync window the Lead's lifecycle stage is "marketingqualifiedlead"
    When the Lead's lifecycle stage is set to "salesqualifiedlead" in Salesforce
    Then within the sync window the contact's lifecycle stage is "salesqualifiedlead"
    When the Lead is converted into a new Account with an Opportunity
    Then within the sync window the contact's lifecycle stage is "opportunity"
    When the converted Opportunity is closed won
    Then within the sync window the contact's lifecycle stage is "customer"

  @critical @field_hs_lifecyclestage_marketingqualifiedlead_date
  Scenario: The MQL date HubSpot stamps reaches Salesforce
    Given a HubSpot contact in lifecycle stage "marketingqualifiedlead" synced to a Salesforce Lead
    Then within the sync window the Lead's MQL date is stamped

  @critical @field_hs_lifecyclestage_salesqualifiedlead_date
  Scenario: A lifecycle timestamp never moves once stamped
    Given a Salesforce Lead in lifecycle stage "salesqualifiedlead" whose SQL date was stamped 30 days ago
    When the Lead is updated again in Salesforce
    Then after the sync window the Lead's SQL date is unchanged

  @critical
  Scenario: Lifecycle stage never moves backwards
    Given a HubSpot contact in lifecycle stage "salesqualifiedlead" synced to a Salesforce Lead
    When the Lead's lifecycle stage is set to "lead" in Salesforce
    Then after the sync window the contact's lifecycle stage is still "salesqualifiedlead"

  @critical @field_hs_lead_status
  Scenario: Lead Status changes independently of lifecycle stage
    Given a HubSpot contact in lifecycle stage "lead" synced to a Salesforce Lead
    When the Lead's Status is changed to "Working - Contacted" in Salesforce
    Then within the sync window the contact's lead status is "Working - Contacted"
    And after the sync window the contact's lifecycle stage is still "lead"

  @critical @object_opportunity
  Scenario: An opportunity contact role makes the contact an opportunity, never the other way round
    Given a HubSpot contact synced to a Salesforce Contact on an Account
    When an open Opportunity is created on the Account with the Contact as contact role
    Then within the sync window the contact's lifecycle stage is "opportunity"
