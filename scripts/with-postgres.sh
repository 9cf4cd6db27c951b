#!/usr/bin/env bash
# Run a command beside a throwaway PostgreSQL on 127.0.0.1, its URL in PAPERBOY_TEST_POSTGRES_URL.
#
#   scripts/with-postgres.sh .venv/bin/pytest
#
# Uses Debian's postgresql package (installed here when missing and we are root). Without it, on a
# developer machine, the command runs on SQLite alone with a warning; under CI (CI=true) that is an error.
set -euo pipefail

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

bin=$(find_bin || true)
if [ -z "$bin" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "with-postgres: installing Debian's postgresql package" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  bin=$(find_bin || true)
fi
if [ -z "$bin" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "with-postgres: PostgreSQL is required in CI and could not be installed" >&2
    exit 1
  fi
  echo "with-postgres: no PostgreSQL found (apt-get install postgresql); running on SQLite only" >&2
  exec "$@"
fi

tmp=$(mktemp -d /tmp/paperboy-pg.XXXXXX)
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" = 0 ] && chown postgres "$tmp"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

as_pg "$bin/initdb" -D "$tmp/data" -U paperboy --auth=trust -E UTF8 >/dev/null
as_pg "$bin/pg_ctl" -D "$tmp/data" -l "$tmp/log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c fsync=off -c synchronous_commit=off -c max_connections=200" \
  start >/dev/null
stop() {
  as_pg "$bin/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap stop EXIT

export PAPERBOY_TEST_POSTGRES_URL="postgresql://paperboy@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
"$@"
