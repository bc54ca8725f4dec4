"""Load generator: threads with persistent HTTP/1.1 connections to 127.0.0.1, stdlib only.

Run as `python bench/load.py JOB.json`: the job names the port, a start and an end time
(time.monotonic(), which is system-wide on Linux, so several processes start together) and
one list of prepared requests per thread. In "once" mode each thread sends its list once;
in "repeat" mode it cycles through it until the end time. Prints one JSON object with a
record [tag, status, location, seconds, monotonic end] per response. Every loop is bounded
by the list length or the end time, and every socket read by a timeout.
"""

import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
SOCKET_TIMEOUT = 30.0


class Connection:
    """One client connection that reconnects when the server closes it."""

    def __init__(self, port: int):
        self.port = port
        self.sock = None
        self.buffer = b""
        self.connects = 0
        self.headers: dict[str, str] = {}  # of the last response, names in lower case

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock = None
        self.buffer = b""

    def _connect(self) -> None:
        self.sock = socket.create_connection((HOST, self.port), timeout=SOCKET_TIMEOUT)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.connects += 1

    def _read_more(self) -> bool:
        chunk = self.sock.recv(65536)
        self.buffer += chunk
        return bool(chunk)

    def exchange(self, request: bytes) -> tuple[int, str, bytes]:
        """Send one request; return (status, Location header, body). A request that finds a
        kept-alive connection already closed, before any byte of an answer, is sent once more
        on a new connection: the server has not read it."""
        for attempt in (1, 2):
            fresh = self.sock is None
            if fresh:
                self._connect()
            try:
                self.sock.sendall(request)
                if not self._read_more():
                    raise ConnectionResetError("closed before answering")
            except (ConnectionResetError, BrokenPipeError):
                self.close()
                if fresh or attempt == 2:
                    raise
                continue
            return self._response()
        raise AssertionError("unreachable")

    def _response(self) -> tuple[int, str, bytes]:
        while b"\r\n\r\n" not in self.buffer:
            if not self._read_more():
                raise ConnectionResetError("closed inside the header")
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _sep, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            length = int(headers["content-length"])
            while len(self.buffer) < length:
                if not self._read_more():
                    raise ConnectionResetError("closed inside the body")
            body, self.buffer = self.buffer[:length], self.buffer[length:]
        else:  # no length: the body ends with the connection
            while self._read_more():
                pass
            body, self.buffer = self.buffer, b""
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            self.close()
        self.headers = headers
        return status, headers.get("location", ""), body


def _client(port, requests, mode, start_at, end_at, records) -> None:
    connection = Connection(port)
    time.sleep(max(0.0, start_at - time.monotonic()))
    index = 0
    try:
        while time.monotonic() < end_at:
            if index >= len(requests):
                if mode == "once":
                    break
                index = 0
            tag, request = requests[index]
            index += 1
            began = time.perf_counter()
            try:
                status, location, _body = connection.exchange(request)
            except OSError as error:
                status, location = 0, type(error).__name__
                connection.close()
            ended = time.perf_counter()
            records.append((tag, status, location, ended - began, time.monotonic()))
    finally:
        connection.close()


def run(job: dict) -> dict:
    """Run one job's threads to their end; return the records and the actual time span."""
    per_thread = [
        [(tag, text.encode("latin-1")) for tag, text in requests] for requests in job["threads"]
    ]
    records: list[tuple] = []
    threads = [
        threading.Thread(
            target=_client,
            args=(job["port"], requests, job["mode"], job["start_at"], job["end_at"], records),
            daemon=True,
        )
        for requests in per_thread
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, job["end_at"] - time.monotonic()) + SOCKET_TIMEOUT + 5)
    return {"records": records}


def run_phase(port, clients, mode, seconds, processes=2, warmup=1.0) -> tuple[list, float]:
    """Spread the clients' request lists over `processes` load processes, run them together
    and return all records and the start time. Bounded: `seconds` plus timeouts."""
    start_at = time.monotonic() + warmup
    end_at = start_at + seconds
    with tempfile.TemporaryDirectory(prefix="mitwirkung-load-") as tmp:
        procs = []
        for part in range(processes):
            job = {
                "port": port, "mode": mode, "start_at": start_at, "end_at": end_at,
                "threads": [
                    [(tag, request.decode("latin-1")) for tag, request in requests]
                    for requests in clients[part::processes]
                ],
            }
            path = Path(tmp) / f"job-{part}.json"
            path.write_text(json.dumps(job), encoding="utf-8")
            procs.append(subprocess.Popen(
                [sys.executable, __file__, str(path)], stdout=subprocess.PIPE, text=True
            ))
        records = []
        for proc in procs:
            out, _err = proc.communicate(timeout=warmup + seconds + 2 * SOCKET_TIMEOUT + 30)
            if proc.returncode:
                raise RuntimeError(f"load process failed with status {proc.returncode}")
            records += [tuple(record) for record in json.loads(out)["records"]]
    return records, start_at


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        job = json.load(handle)
    json.dump(run(job), sys.stdout)


if __name__ == "__main__":
    main()
