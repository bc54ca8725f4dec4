"""Serve the real app with gunicorn on 127.0.0.1 for the length of a `with` block."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass

from common import ROOT, free_port
from load import Connection

START_TIMEOUT = 60.0


@dataclass(frozen=True)
class ServerConfig:
    """A gunicorn worker set-up, written like 'sync:4' or 'gthread:2x8'."""

    worker_class: str
    workers: int
    threads: int = 1

    @classmethod
    def parse(cls, text: str) -> "ServerConfig":
        worker_class, _sep, size = text.partition(":")
        workers, _sep, threads = size.partition("x")
        return cls(worker_class, int(workers), int(threads or 1))

    def __str__(self) -> str:
        if self.worker_class == "sync":
            return f"sync:{self.workers}"
        return f"{self.worker_class}:{self.workers}x{self.threads}"

    def describe(self) -> str:
        threads = f" x {self.threads} threads" if self.worker_class != "sync" else ""
        return f"gunicorn {self.worker_class}, {self.workers} workers{threads}"

    def args(self) -> list[str]:
        args = ["--worker-class", self.worker_class, "--workers", str(self.workers)]
        if self.worker_class != "sync":
            args += ["--threads", str(self.threads)]
        return args


def wait_until_up(proc: subprocess.Popen, port: int) -> None:
    """Until the server answers GET /health with 200; RuntimeError if it exits or takes too
    long."""
    deadline = time.monotonic() + START_TIMEOUT
    request = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {proc.returncode}")
        connection = Connection(port)
        try:
            if connection.exchange(request)[0] == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /health in time")


@dataclass(frozen=True)
class Server:
    port: int
    pid: int  # the master's pid, also the id of the session its workers run in


@contextmanager
def gunicorn(config: ServerConfig, env: dict, log_path):
    """Start gunicorn with `env`, yield a Server, stop it (and only it) afterwards."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", *config.args(),
        "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--keep-alive", "10",
        "--log-level", "warning", "--error-logfile", str(log_path),
        "mitwirkung:create_app()",
    ]
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_up(proc, port)
        yield Server(port, proc.pid)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # the master stops its own workers
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # its own session: only what we started
                proc.wait(timeout=10)
