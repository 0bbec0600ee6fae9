"""`uat lint`: the integration guide's governance rules applied to the profile, and (with --against) to what the
connected sandboxes describe. Each rule has an id, a severity, a message and a fix; docs/profile.md lists them."""

from .engine import lint_profile
from .findings import Finding, Severity, has_errors
from .rules import RULES

__all__ = ["RULES", "Finding", "Severity", "has_errors", "lint_profile"]
