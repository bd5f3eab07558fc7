#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests: initdb and pg_ctl in a new
# temporary folder, listening only on a Unix socket in that folder, run as an
# unprivileged user when this runs as root (PostgreSQL refuses to run as root).
# Prints the line `export SPETS_TEST_PG=postgres://...` for the tests to use; the
# tests create and drop their own databases in it. The user spets has the password
# spets.
#   eval "$(bash .ci/postgres.sh)"      # start, and point the tests at it
#   bash .ci/postgres.sh stop DIR       # stop the cluster in DIR
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "postgres.sh: PostgreSQL's server programs are not installed (apt-get install postgresql)" >&2; exit 1; }

run_as=()
owner=$(id -un)
if [ "$(id -u)" = 0 ]; then
  owner=postgres
  id "$owner" >/dev/null 2>&1 || useradd --system --no-create-home "$owner"
  run_as=(runuser -u "$owner" --)
fi

if [ "${1:-}" = stop ]; then
  "${run_as[@]}" "$bin/pg_ctl" -D "$2/data" -m immediate stop >/dev/null
  rm -rf "$2"
  exit 0
fi

dir=$(mktemp -d /tmp/spets-pg.XXXXXX)
chown "$owner" "$dir"
chmod 755 "$dir"
# Passwords are checked (scram-sha-256), so that a wrong one can be tested.
echo spets >"$dir/password"
chown "$owner" "$dir/password"
"${run_as[@]}" "$bin/initdb" -D "$dir/data" -U spets --pwfile="$dir/password" --auth=scram-sha-256 \
  --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
# Tests make many short connections and eight writers at once; fsync off makes a
# throwaway cluster fast (its data is never kept).
"${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
socket=$(printf %s "$dir" | sed 's|/|%2F|g')
echo "export SPETS_TEST_PG=postgres://spets:spets@$socket/postgres"
echo "export SPETS_TEST_PG_DIR=$dir"
