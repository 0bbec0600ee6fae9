"""HubSpot's API limits and on-demand faults, in front of every authenticated request.

Limits (numbers from the portal fixture, `limits:`): a rolling ten-second window and a daily allowance (reset at
midnight in the portal's time zone) answered with 429 `policyName` TEN_SECONDLY_ROLLING / DAILY and the
`X-HubSpot-RateLimit-*` headers on every other response; CRM search has its own per-second limit (429
SECONDLY) and, as documented, its responses carry no rate-limit headers. Every 429 has `Retry-After`.

Faults (control plane, `POST /faults/hubspot`): a share of requests answered 429, 502, 503 or slowly, drawn
from a seeded random generator so a faulted run can be replayed.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from werkzeug.wrappers import Request, Response

from ..web import json_response
from . import exceptions as err
from .exports import DOWNLOAD_PREFIX
from .portal import Limits

FAULT_KINDS = ("429", "502", "503", "slow")
_STATE_KEY = "twin.hubspot.ratelimit"


def is_search(request: Request) -> bool:
    return request.method == "POST" and request.path.rstrip("/").endswith("/search") and "/objects/" in request.path


@dataclass
class FaultPlan:
    share: float = 0.0
    kinds: list[str] = field(default_factory=lambda: ["429"])
    slow_ms: int = 1500
    seed: int = 0
    paths: list[str] = field(default_factory=list)  # path prefixes; empty: every path
    count: int | None = None  # inject at most this many, then stop

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> FaultPlan:
        plan = cls(**{k: v for k, v in raw.items() if k in cls.__dataclass_fields__})
        if not 0.0 <= float(plan.share) <= 1.0:
            raise ValueError("faults.share: a fraction between 0 and 1")
        unknown = [k for k in plan.kinds if str(k) not in FAULT_KINDS]
        if unknown or not plan.kinds:
            raise ValueError(f"faults.kinds: choose from {', '.join(FAULT_KINDS)}")
        plan.kinds = [str(k) for k in plan.kinds]
        return plan


class Traffic:
    """The gate (limits, faults) and the after-hook (rate-limit headers) of the HubSpot app."""

    def __init__(self, limits: Limits, time_zone: str) -> None:
        self.limits = Limits(**asdict(limits))
        self.zone = ZoneInfo(time_zone) if time_zone else ZoneInfo("UTC")
        self._lock = threading.Lock()
        self._window: deque[float] = deque()
        self._search: deque[float] = deque()
        self._day = self._today()
        self._daily_used = 0
        self.throttled = {"TEN_SECONDLY_ROLLING": 0, "SECONDLY": 0, "DAILY": 0}
        self.injected = {kind: 0 for kind in FAULT_KINDS}
        self.plan: FaultPlan | None = None
        self._random = random.Random(0)

    def _today(self) -> str:
        return datetime.now(self.zone).strftime("%Y-%m-%d")

    def _seconds_to_midnight(self) -> int:
        now = datetime.now(self.zone)
        midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        return max(1, math.ceil((midnight - now).total_seconds()))

    # -- control --------------------------------------------------------------------------------------
    def configure_faults(self, raw: dict[str, Any] | None) -> None:
        with self._lock:
            self.plan = FaultPlan.parse(raw) if raw else None
            self._random = random.Random(self.plan.seed if self.plan else 0)

    def configure_limits(self, raw: dict[str, Any]) -> None:
        with self._lock:
            for key, value in raw.items():
                if key not in Limits.__dataclass_fields__:
                    raise ValueError(f"rate_limits.{key}: unknown; use one of {sorted(Limits.__dataclass_fields__)}")
                setattr(self.limits, key, bool(value) if key == "enforced" else int(value))

    def reset(self) -> None:
        with self._lock:
            self._window.clear()
            self._search.clear()
            self._daily_used = 0
            self.throttled = dict.fromkeys(self.throttled, 0)
            self.injected = dict.fromkeys(self.injected, 0)

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {"rate_limits": {**asdict(self.limits), "used_today": self._daily_used, "throttled": dict(self.throttled)},
                    "faults": None if self.plan is None else {**asdict(self.plan), "injected": dict(self.injected)}}

    # -- the gate -------------------------------------------------------------------------------------
    def gate(self, request: Request) -> Response | None:
        if request.path.startswith(DOWNLOAD_PREFIX):  # export files come from HubSpot's file host, not the API
            return None
        fault = self._fault(request)
        if fault is not None:
            return fault
        search = is_search(request)
        now = time.monotonic()
        with self._lock:
            if self._today() != self._day:
                self._day, self._daily_used = self._today(), 0
            while self._window and now - self._window[0] >= 10.0:
                self._window.popleft()
            while self._search and now - self._search[0] >= 1.0:
                self._search.popleft()
            if self.limits.enforced:
                if self._daily_used >= self.limits.daily:
                    return self._throttle("DAILY", "You have reached your daily limit.", self._seconds_to_midnight())
                if search and len(self._search) >= self.limits.search_per_second:
                    return self._throttle("SECONDLY", "You have reached your secondly limit.", 1)
                if len(self._window) >= self.limits.ten_second:
                    wait = max(1, math.ceil(10.0 - (now - self._window[0])))
                    return self._throttle("TEN_SECONDLY_ROLLING", "You have reached your ten_secondly_rolling limit.", wait)
            self._window.append(now)
            if search:
                self._search.append(now)
            self._daily_used += 1
            if not search:  # documented: search responses carry no rate-limit headers
                request.environ[_STATE_KEY] = {
                    "X-HubSpot-RateLimit-Daily": str(self.limits.daily),
                    "X-HubSpot-RateLimit-Daily-Remaining": str(max(0, self.limits.daily - self._daily_used)),
                    "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
                    "X-HubSpot-RateLimit-Max": str(self.limits.ten_second),
                    "X-HubSpot-RateLimit-Remaining": str(max(0, self.limits.ten_second - len(self._window)))}
        return None

    def _throttle(self, policy: str, message: str, retry_after: int) -> Response:
        self.throttled[policy] += 1
        response = err.RateLimited(policy, message).to_response()
        response.headers["Retry-After"] = str(retry_after)
        if policy != "SECONDLY":
            response.headers["X-HubSpot-RateLimit-Daily"] = str(self.limits.daily)
            response.headers["X-HubSpot-RateLimit-Daily-Remaining"] = str(max(0, self.limits.daily - self._daily_used))
            response.headers["X-HubSpot-RateLimit-Max"] = str(self.limits.ten_second)
            response.headers["X-HubSpot-RateLimit-Remaining"] = "0" if policy == "TEN_SECONDLY_ROLLING" else str(
                max(0, self.limits.ten_second - len(self._window)))
        return response

    def _fault(self, request: Request) -> Response | None:
        with self._lock:
            plan = self.plan
            if plan is None or plan.share <= 0 or (plan.count is not None and plan.count <= 0):
                return None
            if plan.paths and not any(request.path.startswith(p) for p in plan.paths):
                return None
            if self._random.random() >= plan.share:
                return None
            kind = self._random.choice(plan.kinds)
            self.injected[kind] += 1
            if plan.count is not None:
                plan.count -= 1
        if kind == "slow":
            time.sleep(plan.slow_ms / 1000)
            return None
        if kind == "429":
            response = err.RateLimited("TEN_SECONDLY_ROLLING", "You have reached your ten_secondly_rolling limit.").to_response()
            response.headers["Retry-After"] = "1"
            return response
        status = int(kind)
        return json_response({"status": "error", "message": f"{status} {'Bad Gateway' if status == 502 else 'Service Unavailable'}",
                              "category": "INTERNAL_ERROR"}, status)

    def after(self, request: Request, response: Response) -> None:
        for name, value in (request.environ.get(_STATE_KEY) or {}).items():
            response.headers[name] = value
