"""The servers a drill starts, kills and restarts: gunicorn on a fixed port, and the
PostgreSQL server that tests/with_postgres.sh started (stopped and started again in place).

Every process here is started by the drill in a session of its own and killed by its id
(its process group), never by name.
"""

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, free_port
from server import wait_until_up
from sqlalchemy import create_engine, text

STOP_TIMEOUT = 30.0


class Gunicorn:
    """One app server: `workers` sync workers on 127.0.0.1:`port`, which it keeps across
    restarts (a load balancer's fixed address)."""

    def __init__(self, name: str, env: dict, log_dir: Path, workers: int = 2,
                 worker_class: str = "sync", threads: int = 1):
        self.name, self.env, self.workers = name, env, workers
        self.worker_class, self.threads = worker_class, threads
        self.port = free_port()
        self.log_path = log_dir / f"gunicorn-{name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Gunicorn":
        command = [
            sys.executable, "-m", "gunicorn", "--workers", str(self.workers),
            "--worker-class", self.worker_class, "--threads", str(self.threads),
            "--bind", f"127.0.0.1:{self.port}", "--timeout", "60", "--graceful-timeout", "5",
            "--keep-alive", "10", "--log-level", "warning",
            "--error-logfile", str(self.log_path), "mitwirkung:create_app()",
        ]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **self.env},
                                         stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        wait_until_up(self.proc, self.port)
        return self

    def worker_pids(self) -> list[int]:
        """The master's children (its workers) as /proc lists them now."""
        if self.proc is None or self.proc.poll() is not None:
            return []
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def kill(self) -> None:
        """SIGKILL the master and its workers at once: a machine that loses power."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=STOP_TIMEOUT)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)  # the master stops its own workers
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()

    def __enter__(self) -> "Gunicorn":
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()


def errors_logged(servers) -> list[str]:
    """Each error the servers logged, as its first line and the last line of its traceback
    (the exception), so that a 5xx in the table comes with its cause."""
    found = []
    for server in servers:
        if not server.log_path.exists():
            continue
        record: list[str] = []
        for line in [*server.log_path.read_text(errors="replace").splitlines(), "["]:
            if line.startswith("["):  # a new log record
                if record and (" ERROR " in record[0] or len(record) > 1):
                    found.append(f"{server.name}: {record[0][:160]} ... {record[-1][:200]}")
                record = [line]
            elif record:
                record.append(line)
    return found


class PostgreSQL:
    """The server behind `url` (started by tests/with_postgres.sh): stop and start it again
    with the options it was started with (postmaster.opts), as its owner."""

    def __init__(self, url: str):
        engine = create_engine(url)
        with engine.connect() as connection:
            self.data = Path(connection.execute(text("SHOW data_directory")).scalar())
        engine.dispose()
        binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                          key=lambda p: [int(x) for x in p.parts[-3].split(".") if x.isdigit()])
        self.pg_ctl = binaries[-1]
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        self.log = self.data.parent / "server.log"

    def _ctl(self, *args: str) -> None:
        subprocess.run([*self.as_owner, str(self.pg_ctl), "-D", str(self.data), *args],
                       check=True, capture_output=True, timeout=120)

    def stop(self) -> None:
        """Fast shutdown: open connections are cut, running transactions rolled back."""
        self._ctl("-m", "fast", "-w", "stop")

    def start(self) -> None:
        options = shlex.split((self.data / "postmaster.opts").read_text())[1:]
        options = [o for o in options if o not in ("-D", str(self.data))]
        self._ctl("-l", str(self.log), "-w", "-t", "60", "-o", shlex.join(options), "start")

    def down_for(self, seconds: float) -> float:
        """Stop, wait `seconds`, start; returns the time.monotonic() it accepts connections."""
        self.stop()
        time.sleep(seconds)
        self.start()
        return time.monotonic()


CLI = Path(sys.executable).parent / "mitwirkung"  # installed beside the venv's python
CLI_TIMEOUT = 300.0


def cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    """Run `mitwirkung ARGS` to its end; its output as text."""
    return subprocess.run([str(CLI), *args], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=CLI_TIMEOUT)


def cli_killed_when(env: dict, args: list[str], ready, timeout: float = 120.0) -> bool:
    """Start `mitwirkung ARGS` and SIGKILL it as soon as `ready()` holds; True if it was
    still running then (killed mid-way), False if it ended first."""
    proc = subprocess.Popen([str(CLI), *args], cwd=ROOT, env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if ready():
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=STOP_TIMEOUT)
                return proc.returncode == -signal.SIGKILL
            time.sleep(0.01)
        return False
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=STOP_TIMEOUT)


def writing(engine) -> bool:
    """Whether another connection holds an open transaction that has written (PostgreSQL:
    a backend with a transaction id) or SQLite's write lock."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            return bool(connection.execute(text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()")).scalar())
    import sqlite3

    probe = sqlite3.connect(engine.url.database, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


class Redis:
    """A private redis-server on 127.0.0.1 (as tests/with_redis.sh starts one), which a
    drill stops and starts again on the same port."""

    def __init__(self, tmp: Path):
        self.port = free_port()
        self.dir = tmp
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Redis":
        with open(self.dir / "redis.log", "ab") as log:
            self.proc = subprocess.Popen(
                ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                 "--appendonly", "no", "--dir", str(self.dir)],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=STOP_TIMEOUT)

    def down_for(self, seconds: float) -> float:
        self.stop()
        time.sleep(seconds)
        self.start()
        return time.monotonic()

    def __enter__(self) -> "Redis":
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()
