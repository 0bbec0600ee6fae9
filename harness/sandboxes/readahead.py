"""Association lookups read ahead in batches, for records just read at population scale.

Reconciling a population asks "which companies is this contact associated with?" once per record: one call each,
thousands at scale, where HubSpot's associations v4 batch read answers 1,000 records a call. After a batch read of
at least READ_AHEAD_MIN records of a type, the first lookup on one of them reads the associations of all of them
in batches; each answer is then served once. Answers are dropped at the next write through the client, the next
batch read of that type, or after MAX_AGE seconds, so a scenario polling a record (or anything waiting on the
connector) always reads afresh; scenario-sized reads (fewer records) never read ahead.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

READ_AHEAD_MIN = 100
MAX_AGE = 2.0  # a loop over the records just read takes milliseconds once its answers are here
REMEMBERED = 20_000  # ids per object type: a bound on memory, well above a full-copy sandbox's run population


class AssociationReadAhead:
    def __init__(self, batch: Callable[[str, list[str], str], dict[str, list[str] | None]],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.batch = batch  # (from type, ids, to type) -> from id -> to ids (None: more than one page, not served)
        self.clock = clock
        self.read: dict[str, dict[str, None]] = {}  # object type -> ids of its last population-scale read
        self.answers: dict[tuple[str, str], tuple[float, dict[str, list[str] | None]]] = {}
        self.lock = threading.Lock()

    def records_read(self, object_type: str, ids: Iterable[str]) -> None:
        ids = list(ids)
        with self.lock:
            for key in [k for k in self.answers if k[0] == object_type]:
                del self.answers[key]  # a new read of the type: earlier answers may be stale
            if len(ids) < READ_AHEAD_MIN:
                return
            remembered = self.read.setdefault(object_type, {})
            remembered.update(dict.fromkeys(ids))
            while len(remembered) > REMEMBERED:
                del remembered[next(iter(remembered))]

    def written(self) -> None:
        with self.lock:
            self.answers.clear()
            self.read.clear()

    def lookup(self, from_type: str, object_id: str, to_type: str) -> list[str] | None:
        """The associated ids, from a batch read of every record read with this one; None: ask one by one."""
        key = (from_type, to_type)
        with self.lock:
            remembered = self.read.get(from_type) or {}
            if object_id not in remembered:
                return None
            held = self.answers.get(key)
            if held is not None and self.clock() - held[0] <= MAX_AGE:
                return held[1].pop(object_id, None)  # each answer served once; asked again: one by one
            ids, stamp = list(remembered), self.clock()
        fetched = self.batch(from_type, ids, to_type)
        with self.lock:
            self.answers[key] = (stamp, fetched)
            return fetched.pop(object_id, None)
