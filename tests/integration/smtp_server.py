"""A real SMTP server for the fault tests (aiosmtpd, in a thread of the test process): it
counts every message it receives by the ledger row it came from, can be stopped and started
again on the same port, and can hold the reply to one message (the server has the message,
the worker waits for the "250") so that a test can kill the worker inside that window."""

from __future__ import annotations

import asyncio
import email
import threading
import time
from collections import Counter

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self, server: SmtpServer):
        self.server = server

    async def handle_DATA(self, smtp, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        server = self.server
        with server.lock:
            server.received.append(
                (message.get("X-Cohortwise-Notification", "none"), message.get("Message-ID"))
            )
            number = len(server.received)
        if server.hold_at == number:
            server.holding.set()
            await asyncio.sleep(server.hold_seconds)
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.lock = threading.Lock()
        self.received: list[tuple[str, str]] = []
        self.controller: Controller | None = None
        self.hold_at: int | None = None
        self.hold_seconds = 0.0
        self.holding = threading.Event()

    def start(self) -> None:
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def codes(self) -> Counter:
        with self.lock:
            return Counter(code for code, _ in self.received)

    def message_ids(self, code: str) -> set[str]:
        with self.lock:
            return {mid for c, mid in self.received if c == code}

    def wait_for_distinct(self, expected: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.codes()) >= expected:
                return True
            time.sleep(0.1)
        return False
