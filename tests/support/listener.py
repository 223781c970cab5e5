"""A TCP listener on 127.0.0.1 that records every connection: the witness that a query did (or,
far more often, did not) make the process under test fetch a URL.

It answers each connection by closing it (after reading what was sent), so a fetch fails fast
instead of waiting for a timeout.
"""

from __future__ import annotations

import socket
import threading
import time


class Listener:
    """`with Listener() as ear: ... ear.url ... ear.connections` (the requests' first bytes)."""

    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                try:
                    data = conn.recv(4096)
                except OSError:
                    data = b""
                self.connections.append(data or b"(connected)")

    def settle(self, seconds: float = 0.3) -> list[bytes]:
        """The connections, after giving late ones time to arrive."""
        time.sleep(seconds)
        return self.connections

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()

    def __enter__(self) -> "Listener":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
