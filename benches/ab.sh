#!/usr/bin/env bash
# Imports of one projects CSV by several spets binaries and by the simplest sqlite3
# import by hand (sqlite3/simple.sql), interleaved round by round on the same machine:
# the way to compare a change with the commit before it on a shared, noisy machine.
#
#   benches/ab.sh ROUNDS CSV FLAT_CSV SPETS...
#   benches/ab.sh 5 data/p200000.csv data/f200000.csv /tmp/spets-before target/release/spets
#
# CSV is `generate --projects N --seed 7`, FLAT_CSV the same with `--flat`. Prints, per
# binary and for sqlite3, the fastest and the median wall time and the largest peak
# memory (GNU time). The databases go to a temporary folder, removed at the end.
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: benches/ab.sh ROUNDS CSV FLAT_CSV SPETS..." >&2; exit 2; }
rounds=$1 csv=$2 flat=$3
shift 3
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s|FILE|$flat|" "$root/benches/sqlite3/simple.sql" >"$work/simple.sql"
labels=()
for i in $(seq "$#"); do labels+=("spets$i"); done
labels+=(sqlite3)
for _ in $(seq "$rounds"); do
  i=0
  for spets in "$@"; do
    i=$((i + 1))
    rm -f "$work"/s.db*
    /usr/bin/time -f "%e %M" -a -o "$work/spets$i.times" "$spets" --db "$work/s.db" import "$csv" >/dev/null
  done
  rm -f "$work"/q.db*
  /usr/bin/time -f "%e %M" -a -o "$work/sqlite3.times" sqlite3 "$work/q.db" <"$work/simple.sql" >/dev/null
done
i=0
for label in "${labels[@]}"; do
  name=$label
  if [ "$label" != sqlite3 ]; then i=$((i + 1)); name="${!i}"; fi
  sort -g "$work/$label.times" | awk -v n="$name" '{t[NR] = $1; if ($2 > m) m = $2}
    END {printf "%-40s fastest %.2f s  median %.2f s  peak %.1f MiB\n", n, t[1], t[int((NR + 1) / 2)], m / 1024}'
done
