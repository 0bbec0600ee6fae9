"""The integration profile (expected configuration) and the field-mapping CSVs."""

from .loader import load_profile, profile_mappings
from .mappings import FieldMapping, SyncRule, load_mappings
from .model import Profile

__all__ = ["FieldMapping", "Profile", "SyncRule", "load_mappings", "load_profile", "profile_mappings"]
