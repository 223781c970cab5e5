"""Headless Chromium driven over the DevTools protocol, with the standard library only.

Chromium is started with ``--remote-debugging-pipe``: it reads protocol commands from file
descriptor 3 and writes answers and events to descriptor 4, each message one JSON object
ended by a NUL byte (no websocket, no port, nothing to download). One `Browser` per test
module; `Browser.open(url)` gives a `Page` (its own target and session) that records every
network request, the console errors and the uncaught exceptions, and can evaluate script,
press keys and take a screenshot.

The flags keep Chromium off the network (the test machines have none): no background
networking, component updates, sync or QUIC; tests also assert that no request went to a host
other than the server's.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--no-default-browser-check", "--disable-dev-shm-usage",
         "--disable-extensions", "--mute-audio", "--hide-scrollbars",
         "--remote-debugging-pipe")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class BrowserError(RuntimeError):
    pass


def require_chromium() -> str:
    """Chromium's executable; the test is skipped without it (a failure in CI, where
    `make system-deps` installs Debian's chromium package)."""
    if CHROMIUM is None:
        message = "Chromium is missing; `make system-deps` installs Debian's chromium package."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


class Browser:
    def __init__(self, executable: str, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self._profile = tempfile.TemporaryDirectory(prefix="chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def fds() -> None:  # in the child: the protocol's descriptors 3 (in) and 4 (out)
            high_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)  # out of the way of 3 and 4
            high_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=fds, pass_fds=(3, 4), close_fds=True)  # (closing runs after preexec_fn)
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []  # every event received, with its sessionId

    # -- the protocol ----------------------------------------------------------------------

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send one command and wait for its answer (events that arrive meanwhile are kept)."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("Chromium did not answer in time")
            ready, _, _ = select.select([self._from_child], [], [], left)
            if ready:
                chunk = os.read(self._from_child, 1 << 20)
                if not chunk:
                    raise BrowserError("Chromium closed the protocol pipe")
                self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(raw)

    def pump(self, seconds: float) -> None:
        """Read events for `seconds` (or until none is waiting)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self._from_child], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                return
            self._buffer += os.read(self._from_child, 1 << 20)
            while b"\0" in self._buffer:
                raw, _, self._buffer = self._buffer.partition(b"\0")
                message = json.loads(raw)
                if "method" in message:
                    self.events.append(message)

    def open(self, url: str, width: int = 1280, height: int = 900, scripts: bool = True) -> Page:
        """A new tab at `url` (with JavaScript off when `scripts` is false)."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, target, session)
        for domain in ("Page", "Network", "Runtime", "Log"):
            page.send(f"{domain}.enable")
        if not scripts:  # the page's script files are not loaded (the site has no inline
            # scripts); the protocol's own evaluations, such as axe-core, still run
            page.send("Network.setBlockedURLs", {"urls": ["*.js", "*.js?*"]})
            page.blocked = True
        page.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        page.goto(url)
        return page

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (BrowserError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_child, self._from_child):
            try:
                os.close(fd)
            except OSError:
                pass
        self._profile.cleanup()


class Page:
    def __init__(self, browser: Browser, target: str, session: str) -> None:
        self.browser, self.target, self.session = browser, target, session
        self._first_event = 0
        self.blocked = False  # script files blocked (open(scripts=False))

    def send(self, method: str, params: dict | None = None) -> dict:
        return self.browser.send(method, params, self.session)

    def events(self, method: str) -> list[dict]:
        return [e["params"] for e in self.browser.events[self._first_event:]
                if e.get("sessionId") == self.session and e["method"] == method]

    def goto(self, url: str) -> None:
        """Navigate and wait for the load event (then for the network to settle)."""
        self._first_event = len(self.browser.events)
        self.send("Page.navigate", {"url": url})
        deadline = time.monotonic() + self.browser.timeout
        while not self.events("Page.loadEventFired"):
            if time.monotonic() > deadline:
                raise BrowserError(f"{url} did not load in time")
            self.browser.pump(0.1)
        self.settle()

    def settle(self, quiet: float = 0.3) -> None:
        """Wait until no request has been started or finished for `quiet` seconds."""
        deadline = time.monotonic() + self.browser.timeout
        seen = -1
        while time.monotonic() < deadline:
            count = len(self.browser.events)
            if count == seen:
                return
            seen = count
            self.browser.pump(quiet)

    def evaluate(self, expression: str, await_promise: bool = False):
        """The value of a script expression in the page (JSON-serialisable values only)."""
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                               "awaitPromise": await_promise})
        if "exceptionDetails" in reply:
            details = reply["exceptionDetails"]
            raise BrowserError(details.get("exception", {}).get("description") or details["text"])
        return reply["result"].get("value")

    def wait_for(self, expression: str, seconds: float = 20.0):
        """Poll `expression` until it is truthy; its value."""
        deadline = time.monotonic() + seconds
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(f"timed out waiting for {expression}")
            self.browser.pump(0.1)

    def press(self, key: str, code: str | None = None, key_code: int = 0, modifiers: int = 0,
              text: str | None = None) -> None:
        """One key press (down and up), as a keyboard would send it."""
        base = {"key": key, "code": code or key, "windowsVirtualKeyCode": key_code,
                "nativeVirtualKeyCode": key_code, "modifiers": modifiers}
        down = {**base, "type": "keyDown", **({"text": text} if text else {})}
        self.send("Input.dispatchKeyEvent", down)
        self.send("Input.dispatchKeyEvent", {**base, "type": "keyUp"})

    def tab(self, shift: bool = False) -> None:
        self.press("Tab", "Tab", 9, modifiers=8 if shift else 0)

    def requests(self) -> list[str]:
        """Every URL the page requested since it was opened or last navigated."""
        return [e["request"]["url"] for e in self.events("Network.requestWillBeSent")]

    def foreign_requests(self, origin: str) -> list[str]:
        """Requests to anything but `origin` (data:, blob: and about: URLs are the page's own)."""
        own = urlsplit(origin)
        out = []
        for url in self.requests():
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if (parts.scheme, parts.netloc) != (own.scheme, own.netloc):
                out.append(url)
        return out

    def errors(self) -> list[str]:
        """Uncaught exceptions and console errors (resource load failures included)."""
        out = [e["exceptionDetails"].get("exception", {}).get("description")
               or e["exceptionDetails"]["text"] for e in self.events("Runtime.exceptionThrown")]
        out += [e["entry"]["text"] + " " + e["entry"].get("url", "")
                for e in self.events("Log.entryAdded") if e["entry"]["level"] == "error"]
        if self.blocked:  # the script files it was told not to load
            failed = {e["requestId"] for e in self.events("Network.loadingFailed")
                      if e.get("blockedReason") == "inspector"}
            urls = {e["request"]["url"] for e in self.events("Network.requestWillBeSent")
                    if e["requestId"] in failed}
            out = [line for line in out if not any(url in line for url in urls)]
        return out

    def screenshot(self, path: Path, full_page: bool = True) -> Path:
        params = {"format": "png", "captureBeyondViewport": full_page}
        if full_page:
            metrics = self.send("Page.getLayoutMetrics")["cssContentSize"]
            params["clip"] = {"x": 0, "y": 0, "width": metrics["width"],
                              "height": min(metrics["height"], 8000), "scale": 1}
        data = base64.b64decode(self.send("Page.captureScreenshot", params)["data"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})
