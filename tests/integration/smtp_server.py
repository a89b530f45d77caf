"""A real SMTP server for the fault tests (aiosmtpd, in a thread of the test process): it
counts every message it receives by the ledger row it came from, can be stopped and started
again on the same port, and can hold the reply to chosen messages (the server has the message,
the worker waits for the "250") so that a test can strike the worker inside that window, or
slow every reply (work stays in flight longer)."""

from __future__ import annotations

import asyncio
import email
import queue
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
            server.messages.append((tuple(envelope.rcpt_tos), message))
            number = len(server.received)
        if number in server.hold_at:
            server.holding.set()
            server.held.put(number)
            await asyncio.sleep(server.hold_seconds)
        elif server.reply_delay:
            await asyncio.sleep(server.reply_delay)
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.lock = threading.Lock()
        self.received: list[tuple[str, str]] = []
        self.messages: list[tuple[tuple[str, ...], email.message.Message]] = []
        self.controller: Controller | None = None
        self.hold_at: set[int] = set()  # the numbers (1, 2, ...) of the messages to hold
        self.hold_seconds = 0.0
        self.holding = threading.Event()
        self.held: queue.Queue[int] = queue.Queue()  # each held message's number, in order
        self.reply_delay = 0.0  # every other reply waits this long

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

    def by_recipient(self) -> dict[str, list[email.message.Message]]:
        """Each recipient's messages, in the order the server received them."""
        found: dict[str, list[email.message.Message]] = {}
        with self.lock:
            for recipients, message in self.messages:
                for address in recipients:
                    found.setdefault(address, []).append(message)
        return found

    def wait_for_count(self, expected: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= expected:
                    return True
            time.sleep(0.1)
        return False

    def wait_for_distinct(self, expected: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.codes()) >= expected:
                return True
            time.sleep(0.1)
        return False
