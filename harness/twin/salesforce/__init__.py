"""The twin's Salesforce sandbox: schema from the org fixture, state in SQLite, REST/SOQL on the wire."""
