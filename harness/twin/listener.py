"""The HTTPS listeners: cheroot on loopback, with workers that grow while every one is busy, a read timeout per
connection, and a port conflict reported as such.

cheroot rather than werkzeug's development server: it keeps HTTP/1.1 connections alive, so a client pays for one
TLS handshake instead of one per call (werkzeug's server closes every connection), and idle kept-alive connections
wait in its selector, not on a worker.
"""

from __future__ import annotations

import errno
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cheroot.ssl.builtin import BuiltinSSLAdapter
from cheroot.workers.threadpool import ThreadPool
from cheroot.wsgi import Server

if TYPE_CHECKING:
    from .tls import TwinCertificates

# Per connection: a read that receives nothing for this long ends the connection (cheroot answers 408 first when a
# request had begun). It bounds how long a client that sends headers and then stalls its body holds a worker.
READ_TIMEOUT_SECONDS = 10
# Workers per listener: MIN_WORKERS wait from the start, more are added while every worker is busy, up to MAX_WORKERS.
MIN_WORKERS = 8
MAX_WORKERS = 64


class ElasticWorkers(ThreadPool):
    """cheroot's worker pool, grown on demand: cheroot never grows its pool by itself, so with a fixed pool a few
    stalled clients hold every worker and a normal client waits for their timeouts. A connection handed over while
    no worker is idle wakes a helper thread that adds workers (cheroot's `grow` sleeps while they start, which must
    not happen on the accepting thread)."""

    GROW_BY = 4

    def __init__(self, server: Server, min: int, max: int) -> None:  # noqa: A002 - cheroot's own parameter names
        super().__init__(server, min=min, max=max)
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

    def stop(self, timeout: float | None = 5) -> None:
        self._stopped.set()
        if self._grower.is_alive():
            # Let a grow in progress finish first: a worker added after cheroot's stop counted its workers would
            # never be told to stop, and cheroot's workers are not daemons (the process would not exit).
            self._grower.join(timeout=10)
        super().stop(timeout)


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
        return len(self.server.requests._threads)

    def stop(self) -> None:
        self.server.stop()
        self.thread.join(timeout=5)


def listen(app: Callable, port: int, certificates: TwinCertificates, name: str, threads: int = MIN_WORKERS,
           max_threads: int = MAX_WORKERS, read_timeout: float = READ_TIMEOUT_SECONDS) -> Listener:
    """Serve `app` on 127.0.0.1 only (never another interface) on a daemon thread."""
    server = Server(("127.0.0.1", port), app, numthreads=threads, max=max_threads, server_name=f"twin-{name}",
                    timeout=read_timeout, request_queue_size=128)
    server.requests = ElasticWorkers(server, min=threads, max=max_threads)
    server.keep_alive_conn_limit = max_threads
    server.ssl_adapter = BuiltinSSLAdapter(str(certificates.server_cert), str(certificates.server_key))
    try:
        server.prepare()
    except OSError as error:
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
