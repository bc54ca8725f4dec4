"""A local SMTP server (aiosmtpd, which the tests use too) on 127.0.0.1 that accepts every
mail and counts it by Message-ID.

`pause` slows every mail down (before MAIL FROM's answer), as a real mail server takes its
time, so that a drill can kill a sender in the middle of its work.
"""

import asyncio
import threading
from collections import Counter
from email import message_from_bytes

from aiosmtpd.controller import Controller
from common import free_port


class _Handler:
    def __init__(self, sink: "SmtpSink"):
        self.sink = sink

    async def handle_MAIL(self, _server, _session, envelope, address, _options):
        await asyncio.sleep(self.sink.pause)
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, _server, _session, envelope):
        self.sink.received(message_from_bytes(envelope.content).get("Message-ID", ""))
        return "250 OK queued"


class SmtpSink:
    """`with SmtpSink(port) as sink:` serves until the block ends; `sink.ids` counts each
    Message-ID accepted."""

    def __init__(self, port: int | None = None, pause: float = 0.0):
        self.port = port or free_port()
        self.pause = pause
        self.ids: Counter = Counter()
        self._lock = threading.Lock()
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def received(self, message_id: str) -> None:
        with self._lock:
            self.ids[message_id] += 1

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self.ids.values())

    def __enter__(self) -> "SmtpSink":
        self._controller.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._controller.stop()
