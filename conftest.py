"""Wires the pytest plugins of a UAT run: the harness's fixtures and hooks, and the step definitions."""

from harness.uat import STEP_MODULES

pytest_plugins = ["harness.run.plugin", "harness.report.allure_hooks", *STEP_MODULES]
