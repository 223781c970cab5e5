"""Helpers of the test suite (imported as `support.<module>`: pytest puts tests/ on sys.path).

- `asgi`: the web app in-process, through httpx's ASGI transport (no socket, no subprocess).
- `webserver`: real `innovgraph serve` servers on loopback ports, for what needs a socket.
- `fake_endpoint`: a scriptable HTTP server, for the remote-store tests.
- `virtuoso_server`: a throwaway Virtuoso server, for tests/test_virtuoso.py.
- `ingest_helpers`: a snapshot of the shipped project and the ingest command, for the ingest tests.
"""
