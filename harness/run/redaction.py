"""Credentials never reach a log, an Allure result, an attachment, the sign-off report or the ledger.

The first line of defence is at the source: credentials live in `Secret` (repr and str show stars), reach the
clients only through `reveal()`, and the suite gets them through its environment, never its command line. This
module is the second: a logging filter that masks any known secret in a record, and a pass over the run folder
at the end of a run that masks whatever slipped through and says where (a finding to fix, not a silent fix).
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

MASK = "********"
# Environment variables whose values are credentials (harness/sandboxes/credentials.py).
SECRET_VARIABLES = ("UAT_SF_ACCESS_TOKEN", "UAT_SF_PASSWORD", "UAT_SF_SECURITY_TOKEN", "UAT_SF_CLIENT_SECRET",
                    "UAT_HUBSPOT_TOKEN", "UAT_TWIN_CONTROL_TOKEN")
MINIMUM_LENGTH = 6  # shorter values would mask ordinary words; no real credential is that short
# Shapes of credentials whose value the harness may not know (a twin started by another process).
SHAPES = {"HubSpot private-app token": re.compile(r"pat-(?:na|eu)\d-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                                  r"[0-9a-f]{12}"),
          "Salesforce session id": re.compile(r"\b00D[0-9A-Za-z]{12,15}![0-9A-Za-z._]{40,}")}


def secret_values(values: Iterable[str]) -> list[str]:
    """The values to mask, longest first (so a secret containing another is masked whole), with the forms they
    take in URLs and the opaque part of a Salesforce session id (after the org id and '!')."""
    found: set[str] = set()
    for value in values:
        if not value or len(value) < MINIMUM_LENGTH:
            continue
        found.add(value)
        found.add(quote(value, safe=""))
        if "!" in value and len(value.split("!", 1)[1]) >= 16:
            found.add(value.split("!", 1)[1])
    return sorted(found, key=len, reverse=True)


def environment_secrets(env: Mapping[str, str] | None = None) -> list[str]:
    env = os.environ if env is None else env
    return [env[name].strip() for name in SECRET_VARIABLES if env.get(name, "").strip()]


# Every secret this process has held (credentials read, a twin's tokens): the console streams mask them all.
_KNOWN: set[str] = set()


def remember_secrets(values: Iterable[str]) -> None:
    _KNOWN.update(v for v in values if v and len(v) >= MINIMUM_LENGTH)


def known_secrets() -> list[str]:
    return sorted(_KNOWN | set(environment_secrets()))


def redact_text(text: str) -> str:
    """Any secret this process knows, and anything shaped like a credential, masked: for an exception's message
    or a traceback about to be printed (the header, URL or body it carries may hold one)."""
    text = Redactor(known_secrets()).redact(text)
    for shape in SHAPES.values():
        text = shape.sub(MASK, text)
    return text


class RedactingStream:
    """stdout/stderr through `redact_text`: a traceback from an unexpected error, a client's message passed on in
    a progress line, a log record, whatever reaches the terminal or a CI log goes through here."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(redact_text(text) if text else text)
        return len(text)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, encoding...: the real stream's
        return getattr(self._stream, name)


def install_console_redaction(stdout: bool = True) -> None:
    """Wrap sys.stderr (and sys.stdout) once: the `uat` entry point calls this first."""
    for name in ("stdout", "stderr") if stdout else ("stderr",):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, RedactingStream):
            setattr(sys, name, RedactingStream(stream))


class Redactor:
    def __init__(self, secrets: Iterable[str]) -> None:
        self.values = secret_values(secrets)

    def redact(self, text: str) -> str:
        for value in self.values:
            if value in text:
                text = text.replace(value, MASK)
        return text

    def redact_bytes(self, data: bytes) -> tuple[bytes, int]:
        count = 0
        for value in self.values:
            encoded = value.encode("utf-8")
            hits = data.count(encoded)
            if hits:
                count += hits
                data = data.replace(encoded, MASK.encode())
        return data, count


class RedactingFilter(logging.Filter):
    """Masks known secrets in every record that passes (attach to a handler or a logger)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.redactor = Redactor(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.redactor.redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def redact_tree(folder: Path, secrets: Iterable[str]) -> dict[str, int]:
    """Mask every secret in every file under `folder`; returns {relative path: occurrences masked}."""
    redactor = Redactor(secrets)
    masked: dict[str, int] = {}
    if not redactor.values:
        return masked
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        cleaned, count = redactor.redact_bytes(data)
        if count:
            temporary = path.with_name(path.name + ".redacting")
            temporary.write_bytes(cleaned)
            os.replace(temporary, path)
            masked[str(path.relative_to(folder))] = count
    return masked


def find_secrets(folder: Path, secrets: Mapping[str, str]) -> list[str]:
    """Where any named secret, or anything shaped like a credential, appears under `folder` (for tests/audits)."""
    hits = []
    named = {name: secret_values([value]) for name, value in secrets.items()}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", errors="replace")
        for name, values in named.items():
            if any(value in text for value in values):
                hits.append(f"{path.relative_to(folder)}: {name}")
        for name, shape in SHAPES.items():
            if shape.search(text):
                hits.append(f"{path.relative_to(folder)}: something shaped like a {name}")
    return hits
