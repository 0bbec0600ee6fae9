"""`uat lint`: the integration guide's governance rules applied to the profile, and (with --against) to what the
connected sandboxes describe. Each rule has an id, a severity, a message and a fix; docs/profile.md lists them."""

from harness.lint.engine import lint_profile
from harness.lint.findings import Finding, Severity, has_errors
from harness.lint.rules import RULES

__all__ = ["RULES", "Finding", "Severity", "has_errors", "lint_profile"]
