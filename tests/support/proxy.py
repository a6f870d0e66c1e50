"""A TCP forwarder in front of a real service, so a test can take that service away and bring it back
(connections cut, new ones refused) without touching the machine's own PostgreSQL or Redis."""

from __future__ import annotations

import socket
import threading
import time
from urllib.parse import urlsplit, urlunsplit


class Outage:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = int(probe.getsockname()[1])
        probe.close()
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.stall = 0.0  # seconds each request waits before it goes on: a service that stalls

    @classmethod
    def in_front_of(cls, url: str) -> tuple[Outage, str]:
        """A forwarder for the service at ``url`` and the URL that goes through it."""
        parts = urlsplit(url)
        outage = cls(parts.hostname or "127.0.0.1", parts.port or 0)
        netloc = parts.netloc.rsplit(":", 1)[0] if parts.port else parts.netloc
        return outage, urlunsplit(parts._replace(netloc=f"{netloc}:{outage.port}"))

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        """The service is gone: the port refuses connections and the open ones are cut."""
        if self._listener is not None:
            try:
                self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() blocked on it
            except OSError:
                pass
            self._listener.close()
            self._listener = None
        with self._lock:
            for conn in self._open:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                conn.close()
            self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open.update((client, server))
            for a, b, stalls in ((client, server, True), (server, client, False)):
                threading.Thread(target=self._pipe, args=(a, b, stalls), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, stalls: bool = False) -> None:
        try:
            while data := source.recv(65536):
                if stalls and self.stall:
                    time.sleep(self.stall)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            # shutdown before close: the other direction's thread is blocked in recv() on one of these
            # sockets, and a bare close() neither wakes it nor ends the connection. The socket stayed
            # ESTABLISHED, owned by no process, and PostgreSQL kept one idle backend per connection
            # the app had closed: `make faults` reached max_connections ("too many clients").
            for conn in (source, sink):
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                try:
                    conn.close()
                except OSError:
                    pass


class BlackHole:
    """A port that accepts connections and never answers: a service that hangs."""

    def __init__(self) -> None:
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = int(self._listener.getsockname()[1])
        self._held: list[socket.socket] = []
        threading.Thread(target=self._hold, daemon=True).start()

    def _hold(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self._held.append(conn)

    def close(self) -> None:
        try:
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._listener.close()
        for conn in self._held:
            conn.close()
