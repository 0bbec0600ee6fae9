"""Wires the pytest plugins of a UAT run: the harness's fixtures and hooks, and the step definitions."""

pytest_plugins = [
    "harness.pytest_plugin",
    "harness.report.allure_hooks",
    "steps.hubspot_steps",
    "steps.salesforce_steps",
    "steps.sync_steps",
]
