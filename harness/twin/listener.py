"""The HTTPS listeners: cheroot on loopback, with workers that grow while every one is busy, a read timeout per
connection, and a port conflict reported as such.

cheroot rather than werkzeug's development server: it keeps HTTP/1.1 connections alive, so a client pays for one
TLS handshake instead of one per call (werkzeug's server closes every connection), and idle kept-alive connections
wait in its selector, not on a worker.
"""

from __future__ import annotations

import errno
import logging
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from cheroot.ssl.builtin import BuiltinSSLAdapter
from cheroot.workers.threadpool import ThreadPool
from cheroot.wsgi import Gateway_10, Server

if TYPE_CHECKING:
    from .tls import TwinCertificates

log = logging.getLogger("harness.twin.listener")

# Per connection: a read that receives nothing for this long ends the connection (cheroot answers 408 first when a
# request had begun). It bounds how long a client that sends headers and then stalls its body holds a worker.
READ_TIMEOUT_SECONDS = 10
# Per request: a body not received whole this long after the app starts reading it ends the connection, however
# slowly its bytes trickle in (each read within READ_TIMEOUT_SECONDS would otherwise keep it alive for ever).
BODY_DEADLINE_SECONDS = 60
# The environ key under which the listener hands an app `bounding()`: a context manager that applies the deadline.
BODY_DEADLINE = "twin.body_deadline"
# Workers per listener: MIN_WORKERS wait from the start, more are added while every worker is busy, up to MAX_WORKERS.
MIN_WORKERS = 8
MAX_WORKERS = 64


class ElasticWorkers(ThreadPool):
    """cheroot's worker pool, grown on demand and shrunk when quiet: cheroot never resizes its pool by itself, so with
    a fixed pool a few stalled clients hold every worker and a normal client waits for their timeouts. A connection
    handed over while no worker is idle wakes a helper thread that adds workers (cheroot's `grow` sleeps while they
    start, which must not happen on the accepting thread); once more than the first workers have sat idle for
    `SHRINK_AFTER_SECONDS`, the extra ones are told to end, so a served twin does not keep a burst's threads for
    ever."""

    GROW_BY = 4
    SHRINK_AFTER_SECONDS = 30.0

    def __init__(self, server: Server, min: int, max: int) -> None:  # noqa: A002 - cheroot's own parameter names
        super().__init__(server, min=min, max=max)
        self._quiet_since: float | None = None
        self._wanted = threading.Event()
        self._stopped = threading.Event()
        self._grower = threading.Thread(target=self._grow_when_wanted, name=f"{server.server_name}-grow",
                                        daemon=True)

    def start(self) -> None:
        super().start()
        self._grower.start()

    def put(self, obj: Any) -> None:
        super().put(obj)
        if self.idle <= 1:
            self._wanted.set()

    def _grow_when_wanted(self) -> None:
        while not self._stopped.is_set():
            if self._wanted.wait(0.5):
                self._wanted.clear()
                if not self._stopped.is_set() and self.idle <= 1:
                    self.grow(self.GROW_BY)
            # A burst may outrun the signal: grow while connections wait and no worker is free to take them.
            while not self._stopped.is_set() and self.qsize > self.idle and len(self._threads) < self.max:
                self.grow(self.GROW_BY)
            self._shrink_when_quiet()

    def _shrink_when_quiet(self) -> None:
        alive = sum(1 for worker in self._threads if worker.is_alive())
        extra = min(self.idle, alive - self.min)
        if extra <= 0 or self.qsize:
            self._quiet_since = None
            return
        now = time.monotonic()
        if self._quiet_since is None:
            self._quiet_since = now
        elif now - self._quiet_since >= self.SHRINK_AFTER_SECONDS and not self._stopped.is_set():
            self.shrink(extra)  # shutdown requests on the queue: idle workers take them and end
            self._quiet_since = None

    def stop(self, timeout: float | None = 5) -> None:
        self._stopped.set()
        self._wanted.set()  # wakes the grower now, not at the end of its half-second wait: it sees the stop, adds none
        if self._grower.is_alive():
            # Let a grow in progress finish first: a worker added after cheroot's stop counted its workers would
            # never be told to stop, and cheroot's workers are not daemons (the process would not exit).
            self._grower.join(timeout=10)
        super().stop(timeout)


class BodyDeadlines:
    """One watchdog thread per listener: a connection whose body read overran its deadline has its socket shut
    down, which ends the blocked read in the worker (the app then drops the connection)."""

    def __init__(self, name: str, seconds: float) -> None:
        self.seconds = seconds
        self._armed: dict[object, tuple[float, socket.socket]] = {}
        self._cond = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._watch, name=f"{name}-deadlines", daemon=True)
        self._thread.start()

    @contextmanager
    def bounding(self, connection: socket.socket) -> Iterator[None]:
        token = object()
        with self._cond:
            self._armed[token] = (time.monotonic() + self.seconds, connection)
            self._cond.notify()
        try:
            yield
        finally:
            with self._cond:
                self._armed.pop(token, None)

    def _watch(self) -> None:
        with self._cond:
            while not self._stopped:
                now = time.monotonic()
                for token, (due, connection) in list(self._armed.items()):
                    if due <= now:
                        del self._armed[token]
                        with suppress(OSError):  # already closed by the client
                            # The plain socket's shutdown, not SSLSocket's (which unwraps TLS under the reading
                            # thread's feet): the blocked TLS read sees end-of-file and returns.
                            socket.socket.shutdown(connection, socket.SHUT_RDWR)
                upcoming = min((due for due, _ in self._armed.values()), default=now + 1.0)
                self._cond.wait(timeout=max(0.05, upcoming - now))

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()
        self._thread.join(timeout=5)


class DeadlineGateway(Gateway_10):
    """cheroot's WSGI 1.0 gateway, also handing the app the body deadline for this request's connection."""

    def get_environ(self) -> dict[str, Any]:
        environ = super().get_environ()
        environ[BODY_DEADLINE] = partial(self.req.server.body_deadlines.bounding, self.req.conn.socket)
        return environ


class PortInUse(OSError):
    """The port a listener needs is taken: strerror names the port and what the twin needed it for."""


@dataclass
class Listener:
    server: Server
    thread: threading.Thread

    @property
    def port(self) -> int:
        return self.server.bind_addr[1]

    @property
    def workers(self) -> int:
        return sum(1 for worker in self.server.requests._threads if worker.is_alive())

    def stop(self) -> None:
        self.server.stop()
        self.thread.join(timeout=5)
        self.server.body_deadlines.stop()


def listen(app: Callable, port: int, certificates: TwinCertificates, name: str, threads: int = MIN_WORKERS,
           max_threads: int = MAX_WORKERS, read_timeout: float = READ_TIMEOUT_SECONDS,
           body_deadline: float = BODY_DEADLINE_SECONDS) -> Listener:
    """Serve `app` on 127.0.0.1 only (never another interface) on a daemon thread."""
    server = Server(("127.0.0.1", port), app, numthreads=threads, max=max_threads, server_name=f"twin-{name}",
                    timeout=read_timeout, request_queue_size=128)
    server.requests = ElasticWorkers(server, min=threads, max=max_threads)
    server.gateway = DeadlineGateway
    server.error_log = _transport_log
    server.body_deadlines = BodyDeadlines(f"twin-{name}", body_deadline)
    server.keep_alive_conn_limit = max_threads
    # The selector loop's timeout, which is also how long stop() waits for the loop to notice (cheroot: 0.5 s,
    # i.e. 1.5 s of every twin's stop for three listeners).
    server.expiration_interval = 0.1
    server.ssl_adapter = BuiltinSSLAdapter(str(certificates.server_cert), str(certificates.server_key))
    try:
        server.prepare()
    except OSError as error:
        server.body_deadlines.stop()
        if port and _in_use(error):
            raise PortInUse(errno.EADDRINUSE, f"port {port} (the twin's {name} listener) is already in use") from None
        raise
    thread = threading.Thread(target=server.serve, name=f"twin-{name}", daemon=True)
    thread.start()
    return Listener(server, thread)


def _in_use(error: OSError) -> bool:
    # cheroot wraps the bind error in a plain OSError whose text carries the original errno.
    cause = error.__cause__
    return error.errno == errno.EADDRINUSE or (isinstance(cause, OSError) and cause.errno == errno.EADDRINUSE) \
        or "Address already in use" in str(error)


def _transport_log(msg: str = "", level: int = logging.INFO, traceback: bool = False) -> None:
    """cheroot's own messages, into logging rather than straight onto stderr: a client that hangs up before its
    408 is written is the client's business (debug); anything else keeps its level and traceback."""
    failure = sys.exc_info()[1]
    if isinstance(failure, OSError):
        level = logging.DEBUG
    log.log(level, "%s", msg, exc_info=failure if traceback else None)
