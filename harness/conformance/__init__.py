"""Configuration conformance: what the target actually runs, compared with the profile clause by clause.

One engine (`check_conformance`) serves the conformance phase of every `uat run` and `uat lint --against`.
"""

from harness.conformance.clauses import FAMILIES, Clause, Family, Status
from harness.conformance.engine import CHECKS, ConformanceReport, check_conformance

__all__ = ["CHECKS", "FAMILIES", "Clause", "ConformanceReport", "Family", "Status", "check_conformance"]
