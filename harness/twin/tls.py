"""A throwaway certificate authority for the twin's HTTPS listeners.

The real clients insist on TLS (simple-salesforce hard-codes https), so the twin serves it with a CA that
lives only as long as one twin: trustme makes both the CA and the 127.0.0.1 leaf certificate.
"""

from __future__ import annotations

import ssl
from pathlib import Path

import trustme


class TwinCertificates:
    """The CA (written as a PEM bundle clients can trust) and the server-side SSL context."""

    def __init__(self, directory: Path) -> None:
        self._ca = trustme.CA(organization_name="UAT twin throwaway CA")
        self._leaf = self._ca.issue_cert("127.0.0.1", "localhost")
        directory.mkdir(parents=True, exist_ok=True)
        self.ca_bundle = directory / "twin-ca.pem"
        self._ca.cert_pem.write_to_path(str(self.ca_bundle))
        # The listener wants files: the leaf's chain and its key (the key file is private to this user).
        self.server_cert = directory / "server.pem"
        self.server_key = directory / "server.key"
        self.server_cert.write_bytes(b"".join(blob.bytes() for blob in self._leaf.cert_chain_pems))
        self.server_key.touch(mode=0o600)
        self._leaf.private_key_pem.write_to_path(str(self.server_key))

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._leaf.configure_cert(context)
        return context
