"""The UAT library the step definitions call: synced record pairs, fresh field values, sync-rule checks.

Steps stay one call deep; everything a step needs to know about the platforms lives here or below.
"""

# The suite's step modules, in the order pytest registers them: conftest.py wires them in as plugins and the step
# catalogue (harness/run/step_catalog.py, docs/scenarios.md, `uat steps`) reads them. A new steps/*_steps.py module
# is added here, and only here.
STEP_MODULES: list[str] = [
    "steps.pair_steps",
    "steps.sync_rule_steps",
    "steps.conversion_steps",
    "steps.lifecycle_steps",
    "steps.duplicate_steps",
    "steps.company_steps",
    "steps.picklist_steps",
    "steps.inclusion_steps",
    "steps.activity_steps",
    "steps.deletion_steps",
    "steps.reconciliation_steps",
    "steps.conformance_steps",
    "steps.contract_steps",
]
