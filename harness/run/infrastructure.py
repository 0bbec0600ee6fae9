"""A run's infrastructure failures (the platforms throttled or failed), told apart from integration defects."""

from __future__ import annotations

from collections import Counter

from harness.run.context import RunContext
from harness.signoff.categories import classify
from harness.signoff.results import read_results

INFRASTRUCTURE = {"infrastructure": "platform unavailable (5xx, connection reset)", "rate_limit": "rate limit"}


def infrastructure_failures(context: RunContext) -> list[str]:
    """Failed scenarios whose cause was the platforms, not the integration: one line for the verdict."""
    failed = [r for r in read_results(context.results_file) if r.outcome == "failed" and r.category in INFRASTRUCTURE]
    if not failed:
        return []
    kinds = Counter(INFRASTRUCTURE[r.category] for r in failed)
    named = ", ".join(f"{kind} x{count}" for kind, count in kinds.most_common())
    return [f"{len(failed)} scenario(s) failed on infrastructure, not on integration defects ({named}): "
            + "; ".join(r.scenario for r in failed[:5]) + (" ..." if len(failed) > 5 else "")]


def describe_failure(phase: str, error: BaseException) -> str:
    """An infrastructure failure that stopped a phase, in one line (no traceback: the reader is a QA lead)."""
    text = " ".join(str(error).split())
    kind = INFRASTRUCTURE.get(classify(f"{type(error).__name__}: {text}"), "platform failure")
    content = getattr(error, "content", None)
    code = content[0].get("errorCode") if isinstance(content, list) and content and isinstance(content[0], dict) else None
    status = getattr(error, "status", None)
    detail = code or (f"HTTP {status}" if status else None) or f"{type(error).__name__}: {text[:160]}"
    return (f"{phase} stopped: {kind} outlasted the retries ({detail}); an infrastructure failure, not an "
            "integration defect")
