#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server:
#   tests/with_postgres.sh .venv/bin/pytest -q --db postgresql --ignore=tests/browser
# Starts a private server (newest /usr/lib/postgresql/*/bin) on 127.0.0.1 and a free port,
# creates the database mitwirkung_test, exports TEST_DATABASE_URL, runs the command, then
# stops the server and deletes its data directory whatever happens. Exits with the
# command's status.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi

pg_bin=""
for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
    [ -x "$dir/initdb" ] && pg_bin="$dir"
done
if [ -z "$pg_bin" ]; then
    echo "with_postgres.sh: no PostgreSQL server found under /usr/lib/postgresql" \
        "(apt-get install postgresql)" >&2
    exit 2
fi

# initdb and pg_ctl refuse to run as root: use the postgres system user then.
if [ "$(id -u)" -eq 0 ]; then
    pg_user=postgres
    as_pg() { runuser -u "$pg_user" -- "$@"; }
else
    pg_user=$(id -un)
    as_pg() { "$@"; }
fi

python=${PYTHON:-python3}
port=$("$python" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()')

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mitwirkung-pg.XXXXXX")
chmod 700 "$tmp"
data="$tmp/data"
log="$tmp/server.log"
started=0

cleanup() {
    local status=$?
    if [ "$started" -eq 1 ]; then
        as_pg "$pg_bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "$pg_user" != "$(id -un)" ]; then
    chown "$pg_user" "$tmp"
fi

as_pg "$pg_bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
    >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; exit 1; }

started=1
as_pg "$pg_bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start -o "\
 -c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$tmp\
 -c fsync=off -c synchronous_commit=off -c full_page_writes=off\
 -c max_connections=100" >/dev/null || { cat "$log" >&2; exit 1; }

for _ in $(seq 1 100); do
    if "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
        break
    fi
    sleep 0.1
done
"$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$port" || { cat "$log" >&2; exit 1; }

"$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres mitwirkung_test

export TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/mitwirkung_test"
set +e
"$@"
status=$?
set -e
exit "$status"
