#!/usr/bin/env bash
# spets on PostgreSQL against psql doing the same work by hand, on the same server, in
# one run: medians of several runs and the ratio spets / psql.
#
#   benches/postgres.sh                   # 1 000 000 projects, 3 runs
#   benches/postgres.sh --projects 100000 --runs 3
#   benches/postgres.sh --smoke           # 20 000 projects, 1 run: checks it all works
#
# Measured: the import of N projects (spets: everything it always does, validation,
# exact splits, the history and its hash chain, with COPY for the rows) against psql's
# \copy of the same rows into a staging table plus INSERT…SELECT into projects and
# areas (benches/postgres/import.sql); `report areas` against the hand-written
# GROUP BY (benches/postgres/areas.sql), whose figures must be spets's. The server is
# SPETS_TEST_PG (a database whose user may create databases), or a throwaway cluster
# started with .ci/postgres.sh when it is not set. Needs psql and GNU time.
set -euo pipefail

projects=1000000
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --projects) projects=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --smoke) projects=20000; runs=1; shift ;;
    *) echo "postgres.sh: unknown argument $1 (expected --projects N, --runs R or --smoke)" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
data=${BENCH_DIR:-$root/benches/data}
mkdir -p "$data"
command -v psql >/dev/null || { echo "postgres.sh: needs psql (apt-get install postgresql-client)" >&2; exit 1; }
if [ -z "${SPETS_TEST_PG:-}" ]; then
  eval "$(bash "$root/.ci/postgres.sh")"
  trap 'bash "$root/.ci/postgres.sh" stop "$SPETS_TEST_PG_DIR"' EXIT
fi
server=${SPETS_TEST_PG%/*}
query=""
case "$SPETS_TEST_PG" in *\?*) query="?${SPETS_TEST_PG#*\?}" ;; esac
url() { echo "$server/$1$query"; }
admin() { psql -q -X "$SPETS_TEST_PG" -c "$1" >/dev/null; }

cargo build --release --quiet --bin spets --example generate --manifest-path "$root/Cargo.toml"
spets=$root/target/release/spets
generate=$root/target/release/examples/generate
[ -s "$data/p$projects.csv" ] || "$generate" --projects "$projects" --seed 7 >"$data/p$projects.csv"
[ -s "$data/f$projects.csv" ] || "$generate" --projects "$projects" --seed 7 --flat >"$data/f$projects.csv"
sed "s|FILE|$data/f$projects.csv|" "$root/benches/postgres/import.sql" >"$data/pg-import$projects.sql"

timed() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$data/last.time" "$@" >/dev/null
  tail -n 1 "$data/last.time" >>"$data/$label.times"
}
median() { awk '{print $1}' "$data/$1.times" | sort -g | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
peak() { awk '{print $2}' "$data/$1.times" | sort -g | tail -n 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b == 0) print "-"; else printf "%.2f", a / b}'; }

rm -f "$data"/pg-*.times
for run in $(seq "$runs"); do
  echo "run $run of $runs" >&2
  admin "DROP DATABASE IF EXISTS bench_spets"; admin "CREATE DATABASE bench_spets"
  SPETS_USER=bench timed pg-spets-import "$spets" --db "$(url bench_spets)" import "$data/p$projects.csv"
  admin "DROP DATABASE IF EXISTS bench_psql"; admin "CREATE DATABASE bench_psql"
  timed pg-psql-import psql -q -X "$(url bench_psql)" -f "$data/pg-import$projects.sql"
done
for run in $(seq "$runs"); do
  timed pg-spets-areas "$spets" --db "$(url bench_spets)" report areas --format csv
  timed pg-psql-areas psql -q -X -A -t "$(url bench_psql)" -f "$root/benches/postgres/areas.sql"
done
# The two breakdowns must agree: area, projects, total (in öre).
"$spets" --db "$(url bench_spets)" report areas --format csv |
  awk -F, 'NR > 1 {split($4, kr, "."); printf "%s|%s|%s%s\n", $1, $3, kr[1], kr[2]}' | sort >"$data/pg-spets-areas.txt"
psql -q -X -A -t "$(url bench_psql)" -f "$root/benches/postgres/areas.sql" | sort >"$data/pg-psql-areas.txt"
if cmp -s "$data/pg-spets-areas.txt" "$data/pg-psql-areas.txt"; then same="yes"; else same="NO (see $data/pg-*-areas.txt)"; fi

si=$(median pg-spets-import); qi=$(median pg-psql-import)
sa=$(median pg-spets-areas); qa=$(median pg-psql-areas)
cat <<TABLE
## spets vs psql on PostgreSQL — $projects projects, median of $runs run(s), $(date -u +%Y-%m-%d)

| measure | spets | psql | spets / psql | target |
| --- | ---: | ---: | ---: | --- |
| import of $projects projects (s) | $si | $qi | $(ratio "$si" "$qi") | ≤ 1.5 |
| report areas at $projects (s) | $sa | $qa | $(ratio "$sa" "$qa") | ≤ 1.5 |
| peak memory of spets's import (MiB) | $(awk -v k="$(peak pg-spets-import)" 'BEGIN {printf "%.1f", k / 1024}') | | | |

The area breakdowns agree: $same.
TABLE
[ "$same" = yes ]
