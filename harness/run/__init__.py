"""The run lifecycle: options, state, seeding to cleanup, the ledger, faults, redaction, the pytest plugin."""
