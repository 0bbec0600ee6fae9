"""Wires the pytest plugins of a UAT run: the harness's fixtures and hooks, and the step definitions."""

pytest_plugins = [
    "harness.run.plugin",
    "harness.report.allure_hooks",
    "steps.pair_steps",
    "steps.sync_rule_steps",
    "steps.conversion_steps",
    "steps.lifecycle_steps",
    "steps.duplicate_steps",
    "steps.company_steps",
    "steps.picklist_steps",
    "steps.inclusion_steps",
    "steps.activity_steps",
    "steps.reconciliation_steps",
]
