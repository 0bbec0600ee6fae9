"""The twin's native connector: HubSpot's Salesforce integration, as the org fixture configures it."""
