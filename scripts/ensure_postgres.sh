#!/usr/bin/env bash
# Make a real PostgreSQL reachable for the tests and write its URL to var/test-postgres.url.
#
# Installs Debian's `postgresql` when its server binaries are missing, then runs a private,
# throw-away cluster (data under /tmp, loopback only, its own port) so the machine's own
# cluster is never touched. Idempotent: when the server already answers, it only checks and exits.
# `make test` tolerates a failure here; the PostgreSQL tests then skip with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${COPILOT_TEST_PG_PORT:-54329}"
ROOT="${COPILOT_TEST_PG_DIR:-/tmp/copilot-test-pg}"
DATA="$ROOT/data"
SOCKETS="$ROOT/sockets"
LOG="$ROOT/server.log"
ROLE=copilot_test
PASSWORD=copilot_test
DATABASE=copilot_test
URL="postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE"
OUT=var/test-postgres.url

say() { echo "ensure_postgres: $*" >&2; }

publish() {
    mkdir -p "$(dirname "$OUT")"
    printf '%s\n' "$1" >"$OUT"
    echo "$1"
}

if [[ -n "${COPILOT_TEST_POSTGRES_URL:-}" ]]; then
    say "COPILOT_TEST_POSTGRES_URL is set; using it as is"
    publish "$COPILOT_TEST_POSTGRES_URL"
    exit 0
fi

bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
    if [[ -n "$dir" && -x "$dir/postgres" && -x "$dir/initdb" ]]; then echo "$dir"; fi
}

# Fast path: the server from an earlier run is up and our database answers.
BIN=$(bindir)
if [[ -n "$BIN" ]] && "$BIN/psql" "$URL" -XAtqc 'select 1' >/dev/null 2>&1; then
    publish "$URL"
    exit 0
fi

if [[ -z "$BIN" ]]; then
    say "installing Debian's postgresql (server binaries are missing)"
    SUDO=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || { say "not root and no sudo: cannot install"; exit 1; }
        SUDO=(sudo -n)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    BIN=$(bindir)
    [[ -n "$BIN" ]] || { say "postgresql installed but no server binaries found"; exit 1; }
fi

# initdb and postgres refuse to run as root: run them as the `postgres` account then.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

prepare_dirs() {
    mkdir -p "$ROOT" "$SOCKETS"
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$ROOT" "$SOCKETS"; fi
    chmod 700 "$ROOT" "$SOCKETS"
}

init_cluster() {
    say "creating a private cluster in $DATA (port $PORT)"
    rm -rf "$DATA"
    prepare_dirs
    as_owner "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C \
        --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    # A disposable test cluster: durability is not worth the fsyncs.
    cat >>"$DATA/postgresql.conf" <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCKETS'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
CONF
}

start_cluster() {
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null
}

if [[ ! -f "$DATA/PG_VERSION" ]] || [[ "$(cat "$DATA/PG_VERSION")" != "$(basename "$(dirname "$BIN")")" ]]; then
    init_cluster
fi
prepare_dirs
if ! as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    say "starting the cluster"
    if ! start_cluster; then
        say "start failed (see $LOG); recreating the cluster"
        init_cluster
        start_cluster
    fi
fi

admin() { as_owner "$BIN/psql" -h "$SOCKETS" -p "$PORT" -U postgres -d postgres -XAtq -v ON_ERROR_STOP=1 "$@"; }
admin -c "DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
        CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
    END IF;
END \$\$;"
if [[ -z "$(admin -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" ]]; then
    admin -c "CREATE DATABASE $DATABASE OWNER $ROLE"
fi

"$BIN/psql" "$URL" -XAtqc 'select 1' >/dev/null
say "PostgreSQL ready at 127.0.0.1:$PORT"
publish "$URL"
