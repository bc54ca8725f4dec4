"""Run one command and write its wall time and peak RSS as JSON: `rusage.py OUT -- CMD...`.

Why a separate small process: on Linux a child's ru_maxrss starts at its parent's RSS at
the moment of the spawn (exec keeps the high-water mark of the replaced memory), so a
command started straight from the benchmark, which holds thousands of sessions, would be
charged the benchmark's memory. Started from this small process it is charged its own.
Stdlib only; bounded by TIMEOUT.
"""

import json
import resource
import subprocess
import sys
import threading
import time

TIMEOUT = 300.0


def main() -> None:
    out, separator, *command = sys.argv[1:]
    if separator != "--" or not command:
        sys.exit(__doc__.splitlines()[0])
    began = time.perf_counter()
    proc = subprocess.Popen(command)
    watchdog = threading.Timer(TIMEOUT, proc.kill)
    watchdog.start()
    try:
        returncode = proc.wait()
    finally:
        watchdog.cancel()
    seconds = time.perf_counter() - began
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # our only child
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"returncode": returncode, "seconds": seconds, "peak_rss_kb": peak_kb}, handle)


if __name__ == "__main__":
    main()
