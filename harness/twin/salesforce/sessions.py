"""Session ids and who they belong to. The twin's own session id acts as the org's API user; SOAP `login`
and the OAuth password flow mint more, one per login, for any fixture user with a `_password`."""

from __future__ import annotations

import hmac
import secrets
import string
import threading

_ALNUM = string.ascii_letters + string.digits


class Sessions:
    def __init__(self, organization_id: str) -> None:
        self.organization_id = organization_id
        self._users: dict[str, str] = {}
        self._lock = threading.Lock()

    def register(self, token: str, user_id: str) -> None:
        with self._lock:
            self._users[token] = user_id

    def issue(self, user_id: str) -> str:
        # Shaped like a real one: the org id, '!', then an opaque token.
        token = self.organization_id[:15] + "!" + "".join(secrets.choice(_ALNUM + "._") for _ in range(96))
        self.register(token, user_id)
        return token

    def user_for(self, token: str) -> str | None:
        if not token:
            return None
        with self._lock:
            for known, user_id in self._users.items():
                if hmac.compare_digest(known.encode(), token.encode()):
                    return user_id
        return None

    def revoke(self, token: str) -> None:
        with self._lock:
            self._users.pop(token, None)
