#!/usr/bin/env bash
# Run a command beside a throwaway Redis server:
#   tests/with_redis.sh .venv/bin/pytest -q --db postgresql
# Starts Debian's redis-server on 127.0.0.1 and a free port, without persistence, exports
# TEST_REDIS_URL, runs the command, then stops the server whatever happens. Exits with the
# command's status.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi
if ! command -v redis-server >/dev/null; then
    echo "with_redis.sh: redis-server is missing (apt-get install redis-server)" >&2
    exit 2
fi

python=${PYTHON:-python3}
port=$("$python" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()')
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mitwirkung-redis.XXXXXX")
pid=""

cleanup() {
    local status=$?
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --dir "$tmp" \
    --daemonize no >"$tmp/redis.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
    if "$python" -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" \
        2>/dev/null; then
        break
    fi
    sleep 0.1
done
"$python" -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" \
    || { cat "$tmp/redis.log" >&2; exit 1; }

export TEST_REDIS_URL="redis://127.0.0.1:$port/0"
set +e
"$@"
status=$?
set -e
exit "$status"
