"""Fresh, unique test people for scenarios: reserved domains only, tagged with the run (and xdist worker)."""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass

from faker import Faker

_counter = itertools.count(1)
_fake = Faker("en_US")


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    email: str
    company: str


def new_person(run_tag: str) -> Person:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw")
    number = next(_counter)
    first, last = _fake.first_name(), _fake.last_name()
    local = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
    return Person(first, last, f"{local}.{worker}{number}+{run_tag}@example.com", _fake.company())
