"""Reconciliation: the two sides compared field by field, per mapping and sync rule, at any scale."""

from harness.reconcile.engine import ObjectReconciliation, reconcile_object
from harness.reconcile.fields import expected_difference, normalise
from harness.reconcile.spec import FieldKind, FieldSpec, KeyTotalSpec, ObjectSpec
from harness.sync.rules import SyncRule

__all__ = ["FieldKind", "FieldSpec", "KeyTotalSpec", "ObjectReconciliation", "ObjectSpec", "SyncRule",
           "expected_difference", "normalise", "reconcile_object"]
