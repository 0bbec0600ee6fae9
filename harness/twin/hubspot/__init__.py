"""The twin's HubSpot sandbox portal: portal definition from the org fixture, CRM objects in SQLite."""
