@object_contact
Feature: A scenario that tests nothing

  Scenario: Written down, never filled in

  Scenario: Another with no steps
