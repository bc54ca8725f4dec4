"""A tiny SMTP server on 127.0.0.1 that accepts every mail and counts it by Message-ID.

Enough of RFC 5321 for smtplib (HELO/EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), stdlib
only. A mail counts once the sink has answered its final "250": a client killed before
reading that answer may send it again, and the count shows it. `pause` slows every mail
down (before MAIL FROM's answer) so that a drill can kill a sender in the middle.
"""

import socketserver
import threading
import time
from collections import Counter

from common import free_port


class _Handler(socketserver.StreamRequestHandler):
    timeout = 30

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode("ascii"))
        self.wfile.flush()

    def handle(self) -> None:
        sink = self.server.sink
        self.reply("220 drill-sink ESMTP")
        while True:
            line = self.rfile.readline(1000)
            if not line:
                return
            verb = line.decode("latin-1").strip().split(" ", 1)[0].upper()
            if verb in ("HELO", "EHLO"):
                self.reply("250 drill-sink")
            elif verb == "MAIL":
                time.sleep(sink.pause)
                self.reply("250 OK")
            elif verb in ("RCPT", "RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                message_id = ""
                while True:
                    data = self.rfile.readline(100_000)
                    if not data or data in (b".\r\n", b".\n"):
                        break
                    if data.lower().startswith(b"message-id:") and not message_id:
                        message_id = data.split(b":", 1)[1].strip().decode("latin-1")
                if not data:
                    return
                self.reply("250 OK queued")
                sink.received(message_id)
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class _Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpSink:
    """`with SmtpSink(port) as sink:` serves until the block ends; `sink.ids` counts each
    Message-ID accepted."""

    def __init__(self, port: int | None = None, pause: float = 0.0):
        self.port = port or free_port()
        self.pause = pause
        self.ids: Counter = Counter()
        self._lock = threading.Lock()
        self._server = None

    def received(self, message_id: str) -> None:
        with self._lock:
            self.ids[message_id] += 1

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self.ids.values())

    def __enter__(self) -> "SmtpSink":
        self._server = _Server(("127.0.0.1", self.port), _Handler)
        self._server.sink = self
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_exc) -> None:
        self._server.shutdown()
        self._server.server_close()
