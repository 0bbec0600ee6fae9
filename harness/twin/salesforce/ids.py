"""Salesforce record ids: 15 case-sensitive characters plus the 3-character case-insensitive suffix.

Layout of the 15: key prefix (3) + pod (2) + reserved (1) + counter in base 62 (9), as real ids read
(e.g. 0038M0000016Wv8). The suffix algorithm is the documented one: one character per 5-character chunk,
encoding which characters of the chunk are upper-case letters.
"""

from __future__ import annotations

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
POD = "8d"


def _base62(number: int, width: int) -> str:
    digits = []
    while number:
        number, rest = divmod(number, 62)
        digits.append(_BASE62[rest])
    return "".join(reversed(digits)).rjust(width, "0")


def suffix(id15: str) -> str:
    out = []
    for chunk in range(3):
        bits = 0
        for position, char in enumerate(id15[chunk * 5:(chunk + 1) * 5]):
            if "A" <= char <= "Z":
                bits |= 1 << position
        out.append(_SUFFIX[bits])
    return "".join(out)


def make_id(key_prefix: str, counter: int) -> str:
    id15 = f"{key_prefix}{POD}0{_base62(counter, 9)}"
    return id15 + suffix(id15)


def to18(record_id: str) -> str | None:
    """Normalise a 15- or 18-character id to 18 characters; None when it is not shaped like an id."""
    if len(record_id) == 18:
        head = record_id[:15]
        return head + suffix(head) if record_id[15:].upper() == suffix(head) else None
    if len(record_id) == 15 and record_id.isalnum():
        return record_id + suffix(record_id)
    return None


def looks_like_id(value: str) -> bool:
    return isinstance(value, str) and len(value) in (15, 18) and value.isalnum() and to18(value) is not None


def decode_counter(record_id: str) -> int:
    """The counter inside an id made by make_id (characters 7-15, base 62)."""
    number = 0
    for char in record_id[6:15]:
        index = _BASE62.find(char)
        if index < 0:
            return 0
        number = number * 62 + index
    return number
