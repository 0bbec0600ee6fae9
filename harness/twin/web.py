"""What both platform servers share: routing, auth, error rendering, JSON bodies, how requests share state.

Each platform's `urls.py` lists werkzeug rules pointing at methods of its `responses.py`; each platform's
`exceptions.py` defines errors that know their own wire shape (`to_response`). This module only glues them;
the HTTPS listeners that serve these apps are `listener.py`.
"""

from __future__ import annotations

import errno
import json
import logging
import random
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from werkzeug.exceptions import ClientDisconnected, HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .listener import BODY_DEADLINE

log = logging.getLogger("harness.twin")


class TwinHttpError(Exception):
    """Base of every platform error: subclasses render the platform's own error body."""

    status = 500

    def to_response(self) -> Response:  # pragma: no cover - overridden
        return json_response({"message": str(self)}, self.status)


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body, separators=(",", ":")), status=status, headers=headers,
                    content_type="application/json;charset=UTF-8")


def empty_response(status: int = 204, headers: dict[str, str] | None = None) -> Response:
    return Response(b"", status=status, headers=headers)


# -- JSON bodies, parsed as the platforms' parser (Jackson) parses them -----------------------------------------
# Jackson's StreamReadConstraints defaults (2.15+), https://github.com/FasterXML/jackson-core/wiki/StreamReadConstraints:
# a document nested deeper, a number or a string longer than these is refused before it is built. Python's own parser gives up near the same depth
# (its recursion limit), so what the twin refuses is what the platforms refuse, answered as their 400, never a 500.
MAX_JSON_DEPTH = 1000
MAX_NUMBER_LENGTH = 1000  # characters of one number literal
MAX_STRING_LENGTH = 20_000_000  # characters of one string value
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]|-?Infinity|NaN')
# Only a body holding a run this long can hold a number over the limit; only then are numbers checked one by one.
_LONG_RUN = re.compile(rb"[-+.0-9eE]{%d}" % (MAX_NUMBER_LENGTH + 1))


class JsonRefused(json.JSONDecodeError):
    """A body the platforms' JSON parser refuses. A ValueError, with the line and column where parsing stopped."""


class _NonNumeric(ValueError):
    pass


def _refuse_constant(token: str) -> Any:
    # Python's json accepts NaN, Infinity and -Infinity; Jackson (ALLOW_NON_NUMERIC_NUMBERS off by default) does not.
    raise _NonNumeric(token)


def _where(raw: bytes, wanted: Callable[[bytes, int], bool]) -> int:
    """Offset of the first token outside strings for which `wanted(token, depth)` holds (0 if none)."""
    depth = 0
    for match in _TOKENS.finditer(raw):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
        elif token in (b"]", b"}"):
            depth -= 1
        if wanted(token, depth):
            return match.start()
    return 0


def parse_json(raw: bytes | str) -> Any:
    """A request body as the platforms parse it: JSON (UTF-8/16/32), no non-numeric numbers, at most MAX_JSON_DEPTH
    deep, no number longer than MAX_NUMBER_LENGTH or string longer than MAX_STRING_LENGTH characters. Raises
    JsonRefused (a ValueError) naming what and where; UnicodeDecodeError on bad bytes."""
    data = raw.encode() if isinstance(raw, str) else raw
    hooks: dict[str, Any] = {}
    if _LONG_RUN.search(data):
        hooks = {"parse_int": _number_of(int), "parse_float": _number_of(float)}
    try:
        value = json.loads(raw, parse_constant=_refuse_constant, **hooks)
    except json.JSONDecodeError as error:
        raise JsonRefused(error.msg, error.doc, error.pos) from None
    except _NonNumeric as error:
        token = str(error)
        at = _where(data, lambda t, _: t == token.encode())
        raise JsonRefused(f"Non-standard token '{token}': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to "
                          f"allow", data.decode("utf-8", "replace"), at) from None
    except _TooLong as error:
        at = max(0, data.find(str(error)[:MAX_NUMBER_LENGTH + 1].encode()))
        raise JsonRefused(f"Number value length ({len(str(error))}) exceeds the maximum allowed "
                          f"({MAX_NUMBER_LENGTH}, from `StreamReadConstraints.getMaxNumberLength()`)",
                          data[:at + 1].decode("utf-8", "replace"), at) from None
    except RecursionError:
        at = _where(data, lambda _, depth: depth > MAX_JSON_DEPTH)
        raise JsonRefused(f"Document nesting depth exceeds the maximum allowed ({MAX_JSON_DEPTH}, from "
                          f"`StreamReadConstraints.getMaxNestingDepth()`)", data[:at + 1].decode("utf-8", "replace"),
                          at) from None
    if len(data) > MAX_STRING_LENGTH and _longest_string(value) > MAX_STRING_LENGTH:
        raise JsonRefused(f"String value length exceeds the maximum allowed ({MAX_STRING_LENGTH}, from "
                          f"`StreamReadConstraints.getMaxStringLength()`)", "", 0)
    return value


class _TooLong(ValueError):
    pass


def _number_of(kind: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        if len(text) > MAX_NUMBER_LENGTH:
            raise _TooLong(text)
        return kind(text)

    return parse


def _longest_string(value: Any) -> int:
    longest, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            longest = max(longest, len(item))
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return longest


def read_json(request: Request) -> Any:
    """The request's JSON body (None when empty); JsonRefused or UnicodeDecodeError (both ValueErrors) otherwise."""
    raw = request.get_data(cache=True)
    if not raw:
        return None
    return parse_json(raw)


class ConnectionResets:
    """The transport fault a platform's own fault switches cannot express: the connection dropped with no answer.

    `when: before` drops it before the request is served (nothing happened); `after` serves the request and then
    drops it, so the client never learns that its write succeeded: the case idempotent retries exist for. The
    client cannot tell the two apart, which is the point. Seeded, so a faulted run can be replayed.
    """

    WHEN = ("before", "after", "either")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.configure({})

    def configure(self, raw: dict[str, Any] | None) -> dict[str, Any]:
        raw = dict(raw or {})
        unknown = set(raw) - {"share", "when", "seed", "count", "paths"}
        if unknown:
            raise ValueError(f"connection_resets: unknown setting(s) {sorted(unknown)}; use share, when, seed, count, paths")
        share = float(raw.get("share", 0.0))
        when = str(raw.get("when", "either"))
        if not 0.0 <= share <= 1.0:
            raise ValueError(f"connection_resets.share must be a share between 0 and 1, not {share}")
        if when not in self.WHEN:
            raise ValueError(f"connection_resets.when: one of {', '.join(self.WHEN)}, not {when!r}")
        count = raw.get("count")
        paths = raw.get("paths") or []
        if not isinstance(paths, list):
            raise ValueError("connection_resets.paths: a list of path prefixes")
        with self._lock:
            self.share, self.when = share, when
            self.count = None if count is None else int(count)
            self.paths = [str(p) for p in paths]
            self.seed = int(raw.get("seed", 0))
            self._random = random.Random(self.seed)
            self.injected = {"before": 0, "after": 0}
        return self.state()

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {"share": self.share, "when": self.when, "seed": self.seed, "count": self.count,
                    "paths": list(self.paths), "injected": dict(self.injected)}

    def pick(self, path: str) -> str | None:
        with self._lock:
            if self.share <= 0 or (self.count is not None and self.count <= 0):
                return None
            if self.paths and not any(path.startswith(p) for p in self.paths):
                return None
            if self._random.random() >= self.share:
                return None
            when = self.when if self.when != "either" else self._random.choice(("before", "after"))
            self.injected[when] += 1
            if self.count is not None:
                self.count -= 1
            return when


def connection_reset(when: str) -> ConnectionResetError:
    # cheroot closes the socket without a word on ECONNRESET from the app: exactly what a client sees on a reset.
    return ConnectionResetError(errno.ECONNRESET, f"twin fault: connection reset {when} the request was served")


# A handler takes the request and the URL variables and returns a Response.
Handler = Callable[..., Response]

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReadersWriter:
    """Many readers or one writer; a waiting writer holds back new readers, so a stream of reads cannot starve it."""

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing and not self._writers_waiting)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            self._cond.wait_for(lambda: not self._writing and not self._readers)
            self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class ConcurrentReads:
    """How a platform's handlers share its state: reads (GET, HEAD) run side by side, each on its own thread's
    SQLite connection; any other request runs alone, holding the store's lock from start to end, so everything it
    reads and writes sees one state (a uniqueness check and the insert it guards cannot interleave with another)."""

    def __init__(self, store_lock: Any) -> None:
        self.store_lock = store_lock
        self.gate = ReadersWriter()

    def wrap(self, handler: Handler) -> Handler:
        def run(request: Request, **values: Any) -> Response:
            if request.method in READ_METHODS:
                with self.gate.reading():
                    return handler(request, **values)
            with self.gate.writing(), self.store_lock:
                return handler(request, **values)

        return run
# A gate sees every authenticated request before routing: faults and rate limits answer here.
Gate = Callable[[Request], Response | None]


class PlatformApp:
    """A WSGI app for one platform. Subclasses set `rules`, `authenticate` and `not_found`."""

    max_body_bytes = 50 * 1024 * 1024

    def __init__(self, rules: Iterable[Rule], handlers: dict[str, Handler]) -> None:
        # rule.empty(): module-level rules can only bind to one Map, and every twin builds its own.
        self.url_map = Map([rule.empty() for rule in rules], strict_slashes=False, merge_slashes=True)
        self.handlers = handlers
        self.gates: list[Gate] = []
        self.after: list[Callable[[Request, Response], None]] = []
        self.requests_served = 0
        self.resets = ConnectionResets()

    # -- hooks for subclasses -------------------------------------------------------------------------
    def authenticate(self, request: Request) -> Response | None:
        return None

    def not_found(self, request: Request) -> Response:
        return json_response({"message": "not found"}, 404)

    def method_not_allowed(self, request: Request) -> Response:
        return json_response({"message": "method not allowed"}, 405)

    def internal_error(self, request: Request, error: Exception) -> Response:
        return json_response({"message": "internal error"}, 500)

    def too_large(self, request: Request) -> Response:
        return json_response({"message": "request entity too large"}, 413)

    # -- WSGI -----------------------------------------------------------------------------------------
    def dispatch(self, request: Request) -> Response:
        if request.content_length and request.content_length > self.max_body_bytes:
            return self.too_large(request)
        # A chunked body declares no length: cap what the handlers may read, so it cannot grow without bound.
        request.max_content_length = self.max_body_bytes
        denied = self.authenticate(request)
        if denied is not None:
            return denied
        for gate in self.gates:
            answer = gate(request)
            if answer is not None:
                return answer
        bounding = request.environ.get(BODY_DEADLINE)
        try:
            # Read the whole body now, outside the handler and within the listener's deadline: a client that stalls
            # mid-body meets the read timeout here (cheroot answers 408 and closes), one that trickles meets the
            # deadline, and neither becomes a handler's 500 or holds the state lock while it dawdles.
            with bounding() if bounding else nullcontext():
                request.get_data(cache=True)
        except RequestEntityTooLarge:
            return self.too_large(request)
        except ClientDisconnected:
            raise ConnectionResetError(errno.ECONNRESET, "the client did not send its whole body in time") from None
        adapter = self.url_map.bind_to_environ(request.environ)
        try:
            endpoint, values = adapter.match()
        except NotFound:
            return self.not_found(request)
        except MethodNotAllowed:
            return self.method_not_allowed(request)
        except HTTPException:
            return self.not_found(request)
        try:
            return self.handlers[endpoint](request, **values)
        except TwinHttpError as error:
            return error.to_response()
        except RequestEntityTooLarge:
            return self.too_large(request)
        except Exception as error:  # the twin must answer, never hang: log it and answer the platform's 500
            log.exception("twin handler %s failed", endpoint)
            return self.internal_error(request, error)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        drop = self.resets.pick(request.path)
        if drop == "before":
            raise connection_reset(drop)
        response = self.dispatch(request)
        self.requests_served += 1
        for hook in self.after:
            hook(request, response)
        if drop == "after":
            raise connection_reset(drop)
        return response(environ, start_response)
