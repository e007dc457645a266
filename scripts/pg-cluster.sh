#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL 15 cluster for tests and benchmarks.
#   scripts/pg-cluster.sh start DIR [bench]   -> prints DATABASE_URL on stdout
#   scripts/pg-cluster.sh stop DIR
# `bench` sizes memory as a production server on this machine would be (shared_buffers a sixth of
# the RAM, work_mem 64MB, larger WAL between checkpoints): the server `npm run bench` measures on.
# initdb refuses root, so as root the cluster runs as an unprivileged user (created if missing).
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?cluster directory}
profile=${3:-test}
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
run_as() {
  if [ "$(id -u)" = 0 ]; then su -s /bin/bash "$PGUSER_OS" -c "$*"; else bash -c "$*"; fi
}
PGUSER_OS=${PGUSER_OS:-tandempg}
if [ "$(id -u)" = 0 ] && ! id "$PGUSER_OS" >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin "$PGUSER_OS"
fi
case "$cmd" in
  start)
    [ -x "$bin/initdb" ] || { echo "PostgreSQL 15 binaries not found in $bin" >&2; exit 1; }
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown "$PGUSER_OS" "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    run_as "'$bin/initdb' -D '$dir/data' -U tandem --auth=trust -E UTF8 --locale=C.UTF-8 >'$dir/initdb.log' 2>&1"
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
shared_buffers = 512MB
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    if [ "$profile" = bench ]; then
      cat >>"$dir/data/postgresql.conf" <<CONF
shared_buffers = 4GB
effective_cache_size = 16GB
work_mem = 64MB
maintenance_work_mem = 1GB
max_wal_size = 8GB
checkpoint_timeout = 15min
CONF
    fi
    run_as "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w start </dev/null >/dev/null 2>&1"
    echo "postgres://tandem@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -d "$dir/data" ] && run_as "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop </dev/null >/dev/null 2>&1" || true
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
