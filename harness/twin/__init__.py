"""The twin: local, faithful emulators of a Salesforce sandbox, a HubSpot portal and the native connector.

The twin never imports harness code; the harness reaches it only over HTTP(S).
"""

from .twin import Twin

__all__ = ["Twin"]
