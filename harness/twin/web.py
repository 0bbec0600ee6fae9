"""What both platform servers share: routing, auth, error rendering and the HTTPS listener.

Each platform's `urls.py` lists werkzeug rules pointing at methods of its `responses.py`; each platform's
`exceptions.py` defines errors that know their own wire shape (`to_response`). This module only glues them.
"""

from __future__ import annotations

import errno
import json
import logging
import random
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cheroot.ssl.builtin import BuiltinSSLAdapter
from cheroot.wsgi import Server
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

if TYPE_CHECKING:
    from .tls import TwinCertificates

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


def read_json(request: Request) -> Any:
    """Parse a JSON body or raise the caller's platform error (passed in as `bad_body`)."""
    raw = request.get_data(cache=True)
    if not raw:
        return None
    return json.loads(raw)


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


@dataclass
class Listener:
    server: Server
    thread: threading.Thread

    @property
    def port(self) -> int:
        return self.server.bind_addr[1]

    def stop(self) -> None:
        self.server.stop()
        self.thread.join(timeout=5)


def listen(app: Callable, port: int, certificates: TwinCertificates, name: str, threads: int = 8) -> Listener:
    """Serve `app` on 127.0.0.1 only (never another interface) on a daemon thread.

    cheroot rather than werkzeug's development server: it keeps HTTP/1.1 connections alive, so a client pays
    for one TLS handshake instead of one per call (werkzeug's server closes every connection).
    """
    server = Server(("127.0.0.1", port), app, numthreads=threads, server_name=f"twin-{name}")
    server.ssl_adapter = BuiltinSSLAdapter(str(certificates.server_cert), str(certificates.server_key))
    server.prepare()
    thread = threading.Thread(target=server.serve, name=f"twin-{name}", daemon=True)
    thread.start()
    return Listener(server, thread)
