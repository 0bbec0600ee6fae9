"""Users and the Organization row as the sign-in surfaces read them: SOAP `login` and `getUserInfo`, the
identity URL (`/id/<orgId>/<userId>`) and OAuth's `/services/oauth2/userinfo`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import SalesforceBackend


class Directory:
    def __init__(self, backend: SalesforceBackend) -> None:
        self.backend = backend

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> dict[str, Any] | None:
        with self.backend.store.lock:
            row = self.backend.store.db.execute(sql, params).fetchone()
        return dict(row) if row is not None else None

    def user(self, user_id: str) -> dict[str, Any] | None:
        return self._one('SELECT * FROM "sf_user" WHERE "Id" = ?', (user_id,))

    def user_by_username(self, username: str) -> dict[str, Any] | None:
        return self._one('SELECT * FROM "sf_user" WHERE "Username" = ? COLLATE NOCASE AND "IsDeleted" = 0',
                         (username,))

    def organization(self) -> dict[str, Any]:
        return self._one('SELECT * FROM "sf_organization" LIMIT 1') or {}

    def is_sandbox(self) -> bool:
        return bool(self.organization().get("IsSandbox"))

    def authenticate(self, username: str, password: str) -> dict[str, Any] | None:
        """The active user whose password (with or without the security token) this is, or None. Password
        alone passes too, as it does from a trusted IP range."""
        user = self.user_by_username(username)
        secrets_ = self.backend.user_secrets().get(user["Id"]) if user else None
        if not (user and user.get("IsActive") and secrets_):
            return None
        return user if password in {secrets_["password"] + secrets_["token"], secrets_["password"]} else None

    def full_name(self, user: dict[str, Any]) -> str:
        return " ".join(p for p in (user.get("FirstName"), user.get("LastName")) if p)
