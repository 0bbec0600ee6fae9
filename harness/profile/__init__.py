"""The integration profile (expected configuration) and the field-mapping CSVs."""

from harness.profile.loader import load_profile
from harness.profile.mappings import FieldMapping, SyncRule, load_mappings
from harness.profile.model import Profile

__all__ = ["FieldMapping", "Profile", "SyncRule", "load_mappings", "load_profile"]
