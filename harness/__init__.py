"""UAT harness for the HubSpot <-> Salesforce native integration."""

__version__ = "0.1.0"
