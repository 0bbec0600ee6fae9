"""Faults on demand (control plane `POST /faults/salesforce`): a share of requests answered 503
SERVER_UNAVAILABLE, 403 REQUEST_LIMIT_EXCEEDED, or slowly; and the daily API allowance used up or reset.

Deterministic when given a seed, so a test that asks for "30% 503s" sees the same sequence every run.
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import SalesforceBackend

SHARES = ("unavailable", "limit_exceeded", "slow")


@dataclass
class FaultSettings:
    unavailable: float = 0.0        # share of requests answered 503 SERVER_UNAVAILABLE
    limit_exceeded: float = 0.0     # share answered 403 REQUEST_LIMIT_EXCEEDED
    slow: float = 0.0               # share delayed by delay_ms before being served
    delay_ms: int = 2000
    path_prefix: str = ""           # only requests under this path (e.g. /services/data/v59.0/composite)
    remaining: int | None = None    # stop after this many faults (None: until cleared)
    seed: int | None = None


class Faults:
    def __init__(self, backend: SalesforceBackend) -> None:
        self.backend = backend
        self.settings = FaultSettings()
        self._random = random.Random()
        self._lock = threading.Lock()
        self.injected = {name: 0 for name in SHARES}

    def configure(self, body: dict[str, Any]) -> dict[str, Any]:
        """Replace the fault settings; `exhaust_daily_limit` / `reset_daily_usage` act on the allowance at once."""
        known = set(FaultSettings.__dataclass_fields__) | {"exhaust_daily_limit", "reset_daily_usage", "clear"}
        unknown = set(body) - known
        if unknown:
            raise ValueError(f"unknown fault setting(s) {sorted(unknown)}; allowed: {sorted(known)}")
        with self._lock:
            base = FaultSettings() if body.get("clear") else self.settings
            values = {k: v for k, v in body.items() if k in FaultSettings.__dataclass_fields__}
            settings = FaultSettings(**{**asdict(base), **values})
            for name in SHARES:
                share = float(getattr(settings, name))
                if not 0.0 <= share <= 1.0:
                    raise ValueError(f"{name} must be a share between 0 and 1, not {share}")
            if sum(float(getattr(settings, n)) for n in SHARES[:2]) > 1.0:
                raise ValueError("unavailable + limit_exceeded must not exceed 1")
            self.settings = settings
            self._random = random.Random(settings.seed)
        usage = self.backend.usage
        if body.get("exhaust_daily_limit"):
            usage.used = usage.maximum
        if body.get("reset_daily_usage"):
            usage.used = 0
        return self.state()

    def state(self) -> dict[str, Any]:
        usage = self.backend.usage
        return {"settings": asdict(self.settings), "injected": dict(self.injected),
                "api_usage": {"used": usage.used, "max": usage.maximum}}

    def pick(self, path: str) -> str | None:
        """Which fault (if any) this request gets."""
        with self._lock:
            s = self.settings
            if not (s.unavailable or s.limit_exceeded or s.slow) or not path.startswith(s.path_prefix):
                return None
            if s.remaining is not None and s.remaining <= 0:
                return None
            draw = self._random.random()
            choice = None
            if draw < s.unavailable:
                choice = "unavailable"
            elif draw < s.unavailable + s.limit_exceeded:
                choice = "limit_exceeded"
            elif self._random.random() < s.slow:
                choice = "slow"
            if choice:
                self.injected[choice] += 1
                if s.remaining is not None:
                    s.remaining -= 1
            return choice
