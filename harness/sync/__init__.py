"""The harness's one vocabulary of the native connector: object pairs, link properties, sync rules and the field
types HubSpot lets a mapping pair. The twin keeps its own copy by design (it never imports the harness); where the
two type-compatibility tables differ is pinned, with the reason, by tests/test_sync_vocabulary.py."""

from harness.sync.compat import compatible
from harness.sync.objects import HUBSPOT_OBJECT, LINK_PROPERTY, LINKED_SOBJECT, LINKS
from harness.sync.rules import SyncRule

__all__ = ["HUBSPOT_OBJECT", "LINKED_SOBJECT", "LINKS", "LINK_PROPERTY", "SyncRule", "compatible"]
