"""Fault profiles for a UAT run: `uat run --faults light|heavy|FILE` makes the twin misbehave as real platforms do.

What a profile switches on, all through the twin's control plane (real sandboxes have none: there the platforms
misbehave on their own, and `--faults` is refused):

- Salesforce: 503 SERVER_UNAVAILABLE, 403 REQUEST_LIMIT_EXCEEDED and slow answers (`POST /faults/salesforce`);
- HubSpot: 429 with `policyName`, 502, 503 and slow answers (`POST /faults/hubspot`);
- both: connections reset before or *after* a request is served (`connection_resets`), the case where a write
  succeeded and the client never heard: retries must not create a record twice;
- the connector paused for part of every sync window (`POST /pause`, `/resume` on a timer).

Faults stay on from seeding to the end of cleanup: cleanup must survive them too. The counts injected during the
run are read back from the twin at the end (`faults.json` in the run folder, and the sign-off's environment).
"""

from __future__ import annotations

import contextlib
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.errors import UserError
from harness.profile.safe_yaml import load_yaml
from harness.sandboxes.control import TwinControl

TOP_LEVEL = {"seed", "salesforce", "hubspot", "connector"}
CONNECTOR_KEYS = {"pause_seconds", "every_seconds"}
FAULTS_FILE = "faults.json"

# About 5% of calls on each side, with half of the transport faults losing the answer of a served request.
LIGHT: dict[str, Any] = {
    "seed": 11,
    "salesforce": {"unavailable": 0.02, "limit_exceeded": 0.015, "slow": 0.01, "delay_ms": 250,
                   "connection_resets": {"share": 0.01, "when": "either"}},
    "hubspot": {"faults": {"share": 0.04, "kinds": ["429", "502", "503", "slow"], "slow_ms": 250},
                "connection_resets": {"share": 0.01, "when": "either"}},
    "connector": {"pause_seconds": 1.0, "every_seconds": 12.0},
}
# Most calls fail: retries run out, so scenarios fail on infrastructure, which the verdict must say.
HEAVY: dict[str, Any] = {
    "seed": 13,
    "salesforce": {"unavailable": 0.3, "limit_exceeded": 0.2, "slow": 0.05, "delay_ms": 300,
                   "connection_resets": {"share": 0.05, "when": "either"}},
    "hubspot": {"faults": {"share": 0.5, "kinds": ["429", "502", "503", "slow"], "slow_ms": 300},
                "connection_resets": {"share": 0.05, "when": "either"}},
    "connector": {"pause_seconds": 3.0, "every_seconds": 6.0},
}
NONE: dict[str, Any] = {}  # `--faults none`: clear whatever an interrupted run left switched on
BUILT_IN = {"light": LIGHT, "heavy": HEAVY, "none": NONE}


@dataclass
class FaultProfile:
    name: str  # light, heavy, or the file's path
    salesforce: dict[str, Any] = field(default_factory=dict)
    hubspot: dict[str, Any] = field(default_factory=dict)
    pause_seconds: float = 0.0
    every_seconds: float = 0.0

    def describe(self) -> str:
        return f"fault profile {self.name}"


def load_fault_profile(spec: str, setting: str = "--faults", relative_to: Path | None = None) -> FaultProfile:
    """`light`, `heavy`, `none`, or a YAML file with the keys of the built-in profiles (docs/reliability.md).

    `setting` names where the spec came from in errors (`--faults`, or the profile's `target.faults`, whose file
    paths are relative to the profile: `relative_to`)."""
    if spec in BUILT_IN:
        return _parse(BUILT_IN[spec], spec)
    path = relative_to / spec if relative_to is not None else Path(spec)
    if not path.is_file():
        raise UserError(f"{setting} {spec}: not light, heavy, none or a file ({path} does not exist); give one of "
                        "those (see docs/reliability.md)")
    raw, _lines = load_yaml(path)  # duplicate keys, alias bombs, bad dates: refused with file:line
    return _parse(raw, str(path))


def _parse(raw: Any, name: str) -> FaultProfile:
    if not isinstance(raw, dict):
        raise UserError(f"{name}: a fault profile is a mapping with {', '.join(sorted(TOP_LEVEL))}")
    unknown = sorted(set(raw) - TOP_LEVEL, key=str)  # a YAML key may be null or a number
    if unknown:
        raise UserError(f"{name}: unknown key(s) {', '.join(map(str, unknown))}; use {', '.join(sorted(TOP_LEVEL))}")
    seed = raw.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise UserError(f"{name}: seed: a whole number, not {seed!r}")
    sides = {}
    for side in ("salesforce", "hubspot"):
        value = raw.get(side) or {}
        if not isinstance(value, dict):
            raise UserError(f"{name}: {side}: a mapping of the twin's fault switches (docs/twin-{side}.md)")
        sides[side] = _seeded(value, side, seed)
    connector = raw.get("connector") or {}
    if not isinstance(connector, dict) or set(connector) - CONNECTOR_KEYS:
        raise UserError(f"{name}: connector: a mapping with pause_seconds and every_seconds")
    try:
        pause = float(connector.get("pause_seconds", 0))
        every = float(connector.get("every_seconds", 0))
    except (TypeError, ValueError, OverflowError):
        raise UserError(f"{name}: connector.pause_seconds and every_seconds are numbers of seconds") from None
    if pause < 0 or (pause and every <= pause):
        raise UserError(f"{name}: connector: every_seconds ({every}) must exceed pause_seconds ({pause})")
    return FaultProfile(name, sides["salesforce"], sides["hubspot"], pause, every)


def _seeded(settings: dict[str, Any], side: str, seed: int) -> dict[str, Any]:
    """The profile's seed on every random source that has none, so a faulted run replays the same faults."""
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in settings.items()}
    if side == "salesforce":
        out.setdefault("seed", seed)
    elif isinstance(out.get("faults"), dict):
        out["faults"].setdefault("seed", seed)
    if isinstance(out.get("connection_resets"), dict):
        out["connection_resets"].setdefault("seed", seed + 1)
    return out


def _counts(state: dict[str, Any], side: str) -> dict[str, int]:
    """Faults injected so far, by kind, from a GET /faults/<side> answer."""
    counts: dict[str, int] = {}
    if side == "salesforce":
        counts.update({k: int(v) for k, v in (state.get("injected") or {}).items()})
    else:
        counts.update({k: int(v) for k, v in ((state.get("faults") or {}).get("injected") or {}).items()})
        throttled = (state.get("rate_limits") or {}).get("throttled") or {}
        counts.update({f"throttled_{k.lower()}": int(v) for k, v in throttled.items()})
    resets = (state.get("connection_resets") or {}).get("injected") or {}
    counts.update({f"reset_{k}": int(v) for k, v in resets.items()})
    return counts


CLEAR = {"salesforce": {"clear": True, "connection_resets": {}},
         "hubspot": {"faults": None, "connection_resets": {}}}


class FaultInjection:
    """Faults on for the life of this object: `start()` switches them on, `stop()` off and returns the counts."""

    def __init__(self, profile: FaultProfile, control: TwinControl | None) -> None:
        if control is None:
            raise UserError(f"faults {profile.name}: faults are injected through the twin's control plane, and "
                            "this target has none (real sandboxes); run against the twin or a `uat twin serve`")
        self.profile = profile
        self.control = control
        self._baseline: dict[str, dict[str, int]] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.pauses = 0
        self.result: dict[str, Any] | None = None

    def start(self) -> FaultInjection:
        self.clear()  # a run's faults replace any left on (a killed run never switched its own off)
        for side in ("salesforce", "hubspot"):
            self._baseline[side] = _counts(self.control.faults(side), side)
        for side, settings in (("salesforce", self.profile.salesforce), ("hubspot", self.profile.hubspot)):
            if settings:
                try:
                    self.control.faults(side, settings)
                except Exception as error:  # the twin's 400 names the setting
                    message = _twin_message(error)
                    self.clear()
                    raise UserError(f"{self.profile.name}: {side}: {message}; see docs/twin-{side}.md") from None
        if self.profile.pause_seconds:
            self._thread = threading.Thread(target=self._pause_loop, name="fault-connector-pause", daemon=True)
            self._thread.start()
        return self

    def __enter__(self) -> FaultInjection:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _pause_loop(self) -> None:
        quiet = self.profile.every_seconds - self.profile.pause_seconds
        while not self._stop.wait(quiet):
            with contextlib.suppress(Exception):
                self.control.pause()
                self.pauses += 1
            self._stop.wait(self.profile.pause_seconds)
            with contextlib.suppress(Exception):
                self.control.resume()

    def clear(self) -> None:
        for side, settings in CLEAR.items():
            with contextlib.suppress(Exception):
                self.control.faults(side, settings)

    def counts(self) -> dict[str, dict[str, int]]:
        """Faults injected since start(), per platform and kind (what the twin itself counted)."""
        out: dict[str, dict[str, int]] = {}
        for side in ("salesforce", "hubspot"):
            now = _counts(self.control.faults(side), side)
            base = self._baseline.get(side, {})
            out[side] = {k: v - base.get(k, 0) for k, v in sorted(now.items()) if v - base.get(k, 0)}
        if self.pauses:
            out["connector"] = {"pauses": self.pauses}
        return out

    def summary(self) -> str:
        """The faults injected so far, in one line (for the verdict of a run that infrastructure failures decided)."""
        counts = self.counts()
        return describe_counts({"profile": self.profile.name, "injected": counts,
                                "total": sum(v for kinds in counts.values() for v in kinds.values())})

    def stop(self) -> dict[str, Any]:
        """Switch everything off (the connector resumed), and return what was injected."""
        if self.result is not None:
            return self.result
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.profile.pause_seconds + 5)
        with contextlib.suppress(Exception):
            self.control.resume()
        try:
            counts = self.counts()
        except Exception as error:  # the twin went away: say so rather than report zero
            counts = {"unknown": {"error": 1}}
            note = f"counts unavailable: {type(error).__name__}"
        else:
            note = None
        self.clear()
        total = sum(v for side, kinds in counts.items() if side != "unknown" for v in kinds.values())
        self.result = {"profile": self.profile.name, "injected": counts, "total": total,
                       **({"note": note} if note else {})}
        return self.result


def write_fault_counts(run_dir: Path, result: dict[str, Any]) -> dict[str, Any]:
    """`faults.json` in the run folder: the profile and what the twin injected, for the README figure and audits."""
    (run_dir / FAULTS_FILE).write_text(json.dumps(result, indent=2, sort_keys=True), encoding="utf-8")
    return result


def _twin_message(error: Exception) -> str:
    response = getattr(error, "response", None)
    if response is not None:
        with contextlib.suppress(ValueError):
            return str(response.json().get("message", response.text))
        return response.text[:200]
    return str(error)


def describe_counts(result: dict[str, Any]) -> str:
    """One line for the terminal and the sign-off: '37 faults injected (salesforce: 503 x12, ...)'."""
    parts = []
    for side, kinds in (result.get("injected") or {}).items():
        if kinds:
            parts.append(f"{side}: " + ", ".join(f"{k} x{v}" for k, v in kinds.items()))
    return f"{result.get('total', 0)} faults injected ({result.get('profile')}): " + ("; ".join(parts) or "none")
