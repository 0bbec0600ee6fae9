"""Reconciliation: the two sides compared field by field, per mapping and sync rule, with deepdiff."""

from .fields import expected_difference, normalise

__all__ = ["expected_difference", "normalise"]
