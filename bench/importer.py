"""The paper-ballot CSV import, timed through the real command line."""

import json
import os
import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from common import BENCH_DIR, ROOT

CLI = Path(sys.executable).parent / "mitwirkung"  # installed beside the venv's python
TIMEOUT = 300.0  # seconds, as in rusage.py
# Cells as people type them: codes in any case, titles, blanks and invalid marks.
ENTWURF_CELLS = ("A", "B", "b", " C ", "Verschlungene Wege", "offene bühne", "", "ungültig")
NAME_CELLS = ("A", "a", "B", "C", "D", "Theatergarten", " grüne mitte ", "", "INVALID")


@dataclass
class ImportRun:
    available: bool
    returncode: int = 0
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    output: str = ""


def write_csv(path: Path, rows: int, seed: int = 1) -> None:
    """A contract-conforming file: UTF-8 with BOM, `;`, header serial;entwurf;name."""
    rng = random.Random(seed)
    lines = ["serial;entwurf;name"]
    for n in range(1, rows + 1):
        lines.append(f"P-{n:06d};{rng.choice(ENTWURF_CELLS)};{rng.choice(NAME_CELLS)}")
    path.write_text("\ufeff" + "\r\n".join(lines) + "\r\n", encoding="utf-8")


def _measured(env: dict, arguments: list[str], scratch: Path) -> ImportRun:
    """Run `mitwirkung ARGUMENTS` through bench/rusage.py: wall time and the command's own
    peak RSS (see there why not straight from here)."""
    report = scratch.with_suffix(".rusage.json")
    command = [sys.executable, str(BENCH_DIR / "rusage.py"), str(report), "--", str(CLI),
               *arguments]
    output = subprocess.run(command, cwd=ROOT, env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            timeout=TIMEOUT + 30).stdout
    usage = json.loads(report.read_text(encoding="utf-8"))
    return ImportRun(True, usage["returncode"], usage["seconds"], usage["peak_rss_kb"] / 1024,
                     output.decode("utf-8", "replace").strip())


def start_up(env: dict, scratch: Path) -> ImportRun:
    """The command's hello world: `mitwirkung ballots import --help` builds the app and
    exits; available is False when the command does not exist (yet)."""
    if not CLI.exists():
        return ImportRun(available=False)
    run = _measured(env, ["ballots", "import", "--help"], scratch)
    run.available = run.returncode == 0
    return run


def run_import(env: dict, slug: str, path: Path, station: str, day: str,
               username: str) -> ImportRun:
    """Import `path` into the vote `slug` once with the real command."""
    return _measured(env, ["ballots", "import", slug, str(path), "--station", station,
                           "--date", day, "--entered-by", username], path)
