#!/usr/bin/env bash
# spets against the sqlite3 command-line shell doing the same work, on the same machine,
# in one run: medians of several runs and the ratio spets / sqlite3.
#
#   benches/bench.sh                 # 1 000 000 projects, 3 runs (about 10 minutes)
#   benches/bench.sh --projects 200000 --runs 5
#   benches/bench.sh --smoke         # 20 000 projects, 1 run: checks it all still works
#
# Measured: import of N projects and of N/10 (how the cost grows); `report areas` at N;
# the import of N rows of Kohesio's list of operations through the built-in rules
# against the import of the same projects from spets's own CSV (the same database);
# `report summary` on a small database, process start to exit; peak memory of the
# imports; database and CSV sizes; and the import, `report areas` and `report summary`
# against the simplest import by hand (sqlite3/simple.sql: two tables, synchronous =
# NORMAL), with filtered summaries against the same filters by hand; reports --as-of
# the import against the current ones; and `audit verify` against the import.
# Generated data is kept in benches/data (set BENCH_DIR to use another folder). Needs the sqlite3 shell and, for peak memory,
# GNU time (/usr/bin/time).
set -euo pipefail

projects=1000000
runs=3
smoke=0
while [ $# -gt 0 ]; do
  case "$1" in
    --projects) projects=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --smoke) smoke=1; projects=20000; runs=1; shift ;;
    *) echo "bench: unknown argument $1 (expected --projects N, --runs R or --smoke)" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
data=${BENCH_DIR:-$root/benches/data}
mkdir -p "$data"
command -v sqlite3 >/dev/null || { echo "bench: needs the sqlite3 command-line shell (apt-get install sqlite3)" >&2; exit 1; }
gnutime=/usr/bin/time
[ -x "$gnutime" ] || gnutime=""

cargo build --release --quiet --bin spets --example generate --manifest-path "$root/Cargo.toml"
spets=$root/target/release/spets
generate=$root/target/release/examples/generate
small=2000
tenth=$((projects / 10))

for n in "$projects" "$tenth" "$small"; do
  [ -s "$data/p$n.csv" ] || "$generate" --projects "$n" --seed 7 >"$data/p$n.csv"
  [ -s "$data/f$n.csv" ] || "$generate" --projects "$n" --seed 7 --flat >"$data/f$n.csv"
  sed "s|FILE|$data/f$n.csv|" "$root/benches/sqlite3/import.sql" >"$data/import$n.sql"
  sed "s|FILE|$data/f$n.csv|" "$root/benches/sqlite3/simple.sql" >"$data/simple$n.sql"
done
[ -s "$data/k$projects.csv" ] || "$generate" --projects "$projects" --seed 7 --kohesio >"$data/k$projects.csv"
[ -s "$data/ko$projects.csv" ] || "$generate" --projects "$projects" --seed 7 --kohesio-own >"$data/ko$projects.csv"

# timed LABEL COMMAND...: runs it, appends "seconds kilobytes" to $data/LABEL.times.
timed() {
  local label=$1; shift
  if [ -n "$gnutime" ]; then
    "$gnutime" -f "%e %M" -o "$data/last.time" "$@" >/dev/null
  else
    local start end
    start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN {printf "%.3f 0\n", e - s}' >"$data/last.time"
  fi
  tail -n 1 "$data/last.time" >>"$data/$label.times"
}

# timed_loop LABEL COUNT COMMAND...: the time of COUNT runs, divided by COUNT.
timed_loop() {
  local label=$1 count=$2; shift 2
  local start end
  start=$(date +%s%N)
  for _ in $(seq "$count"); do "$@" >/dev/null; done
  end=$(date +%s%N)
  echo "$(( (end - start) / count / 1000 )) 0" | awk '{printf "%.6f 0\n", $1 / 1000000}' >>"$data/$label.times"
}

median() { awk '{print $1}' "$data/$1.times" | sort -g | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
peak() { awk '{print $2}' "$data/$1.times" | sort -g | tail -n 1; }

rm -f "$data"/*.times
for run in $(seq "$runs"); do
  echo "run $run of $runs" >&2
  for n in "$projects" "$tenth"; do
    rm -f "$data/s$n.db" "$data/s$n.db-wal" "$data/s$n.db-shm"
    timed "spets-import-$n" "$spets" --db "$data/s$n.db" import "$data/p$n.csv"
    rm -f "$data/b$n.db" "$data/b$n.db-wal" "$data/b$n.db-shm"
    timed "sqlite3-import-$n" sqlite3 "$data/b$n.db" <"$data/import$n.sql"
    rm -f "$data/q$n.db" "$data/q$n.db-wal" "$data/q$n.db-shm"
    timed "simple-import-$n" sqlite3 "$data/q$n.db" <"$data/simple$n.sql"
  done
done
for run in $(seq "$runs"); do
  rm -f "$data/k.db" "$data/k.db-wal" "$data/k.db-shm" "$data/ko.db" "$data/ko.db-wal" "$data/ko.db-shm"
  timed "spets-kohesio" "$spets" --db "$data/k.db" import "$data/k$projects.csv" --rules kohesio
  timed "spets-kohesio-own" "$spets" --db "$data/ko.db" import "$data/ko$projects.csv"
done
# Both give the same projects.
if cmp -s <("$spets" --db "$data/k.db" export projects) <("$spets" --db "$data/ko.db" export projects); then
  same_kohesio="yes"
else
  same_kohesio="NO"
fi
for run in $(seq "$runs"); do
  timed_loop "spets-areas" 20 "$spets" --db "$data/s$projects.db" report areas --format csv
  timed "sqlite3-areas" sqlite3 "$data/b$projects.db" <"$root/benches/sqlite3/areas.sql"
  timed "simple-areas" sqlite3 "$data/q$projects.db" <"$root/benches/sqlite3/simple-areas.sql"
  timed_loop "spets-summary-$projects" 20 "$spets" --db "$data/s$projects.db" report summary --format csv
  timed "simple-summary" sqlite3 "$data/q$projects.db" <"$root/benches/sqlite3/simple-summary.sql"
done

rm -f "$data"/small.db* "$data"/bsmall.db*
"$spets" --db "$data/small.db" import "$data/p$small.csv" >/dev/null
sqlite3 "$data/bsmall.db" <"$data/import$small.sql" >/dev/null
loops=$((smoke == 1 ? 5 : 50))
for run in $(seq "$runs"); do
  timed_loop "spets-summary" "$loops" "$spets" --db "$data/small.db" report summary --format csv
  timed_loop "sqlite3-summary" "$loops" sqlite3 "$data/bsmall.db" ".read $root/benches/sqlite3/summary.sql"
  # The bundled sample, opened afresh by every run, against the process doing nothing.
  timed_loop "spets-sample" "$loops" "$spets" --sample report summary
  timed_loop "spets-start" "$loops" "$spets" --version
done

# The two breakdowns must agree: area, projects, total (in öre).
"$spets" --db "$data/s$projects.db" report areas --format csv |
  awk -F, 'NR > 1 {split($4, kr, "."); printf "%s|%s|%s%s\n", $1, $3, kr[1], kr[2]}' | sort >"$data/spets-areas.txt"
sqlite3 "$data/b$projects.db" <"$root/benches/sqlite3/areas.sql" | sort >"$data/sqlite3-areas.txt"
if cmp -s "$data/spets-areas.txt" "$data/sqlite3-areas.txt"; then same="yes"; else same="NO (see $data/*-areas.txt)"; fi

# Filters the tallies cannot answer (an area, a date within a year, an organisation:
# the first project's owner), against the same filter written by hand over the simple
# baseline.
org=$(awk -F, 'NR == 2 {print $3}' "$data/p$projects.csv")
sed "s|ORG|$org|" "$root/benches/sqlite3/simple-summary-org.sql" >"$data/simple-summary-org.sql"
for run in $(seq "$runs"); do
  timed "spets-summary-area" "$spets" --db "$data/s$projects.db" report summary --format csv --area skog
  timed "simple-summary-area" sqlite3 "$data/q$projects.db" <"$root/benches/sqlite3/simple-summary-area.sql"
  timed "spets-summary-from" "$spets" --db "$data/s$projects.db" report summary --format csv --from 2020-03-01
  timed "simple-summary-from" sqlite3 "$data/q$projects.db" <"$root/benches/sqlite3/simple-summary-from.sql"
  timed "spets-summary-org" "$spets" --db "$data/s$projects.db" report summary --format csv --org "$org"
  timed "simple-summary-org" sqlite3 "$data/q$projects.db" <"$data/simple-summary-org.sql"
done

# A report of the past: one change after the import, then the reports as of the import
# against the current ones; and `audit verify` of the whole database against the import.
at=$("$spets" --db "$data/s$projects.db" info --format json | grep -o '"at": "[^"]*"' | head -n 1 | cut -d '"' -f 4)
"$spets" --db "$data/s$projects.db" project add bench-after-import --title "After the import" --owner "$org" \
  --area skog --funding ERUF:eu:1000 --decided 2024-01-02 --status granted >/dev/null
for run in $(seq "$runs"); do
  timed_loop "spets-now-summary" 20 "$spets" --db "$data/s$projects.db" report summary --format csv
  timed_loop "spets-asof-summary" 20 "$spets" --db "$data/s$projects.db" report summary --format csv --as-of "$at"
  timed_loop "spets-now-areas" 20 "$spets" --db "$data/s$projects.db" report areas --format csv
  timed_loop "spets-asof-areas" 20 "$spets" --db "$data/s$projects.db" report areas --format csv --as-of "$at"
  timed "spets-verify" "$spets" --db "$data/s$projects.db" audit verify
done

size() { stat -c %s "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b == 0) print "-"; else printf "%.2f", a / b}'; }
mib() { awk -v b="$1" 'BEGIN {printf "%.1f", b / 1048576}'; }

si=$(median "spets-import-$projects"); qi=$(median "sqlite3-import-$projects")
ki=$(median spets-kohesio); ko=$(median spets-kohesio-own)
si10=$(median "spets-import-$tenth"); qi10=$(median "sqlite3-import-$tenth")
sa=$(median spets-areas); qa=$(median sqlite3-areas)
ss=$(median spets-summary); qs=$(median sqlite3-summary)
sample=$(median spets-sample); start=$(median spets-start)
ms() { awk -v s="$1" 'BEGIN {printf "%.1f", s * 1000}'; }
csv=$(size "$data/p$projects.csv"); sdb=$(size "$data/s$projects.db"); qdb=$(size "$data/b$projects.db")
pi=$(median "simple-import-$projects"); pa=$(median simple-areas)
sn=$(median "spets-summary-$projects"); pn=$(median simple-summary)
pdb=$(size "$data/q$projects.db")
fa=$(median spets-summary-area); qfa=$(median simple-summary-area)
ff=$(median spets-summary-from); qff=$(median simple-summary-from)
fo=$(median spets-summary-org); qfo=$(median simple-summary-org)
ns=$(median spets-now-summary); as=$(median spets-asof-summary)
na=$(median spets-now-areas); aa=$(median spets-asof-areas)
sv=$(median spets-verify)

cat <<EOF
## spets vs sqlite3 — $projects projects, median of $runs run(s), $(date -u +%Y-%m-%d)

| measure | spets | sqlite3 | spets / sqlite3 | target |
| --- | ---: | ---: | ---: | --- |
| import of $projects projects (s) | $si | $qi | $(ratio "$si" "$qi") | ≤ 0.75 |
| import of $tenth projects (s) | $si10 | $qi10 | $(ratio "$si10" "$qi10") | |
| report areas at $projects (s) | $sa | $qa | $(ratio "$sa" "$qa") | ≤ 0.50 |
| report summary, small database (s per run) | $ss | $qs | $(ratio "$ss" "$qs") | ≤ 1.00 |
| peak memory, import of $projects (MiB) | $(mib $(( $(peak "spets-import-$projects") * 1024 ))) | $(mib $(( $(peak "sqlite3-import-$projects") * 1024 ))) | | spets ≤ 64 |
| database size at $projects (MiB) | $(mib "$sdb") | $(mib "$qdb") | | spets ≤ 2 × CSV |

The simplest import by hand (issue 15): \`.import\` into a staging table, then two
tables (projects in öre, project areas with shares), WAL with \`synchronous = NORMAL\`
(\`sqlite3/simple.sql\`); its join and \`GROUP BY\` (\`simple-areas.sql\`) and summary
(\`simple-summary.sql\`).

| measure | spets | simple sqlite3 | spets / simple | target |
| --- | ---: | ---: | ---: | --- |
| import of $projects projects (s) | $si | $pi | $(ratio "$si" "$pi") | ≤ 1.00 |
| report areas at $projects (s) | $sa | $pa | $(ratio "$sa" "$pa") | ≤ 0.50 |
| report summary at $projects (s) | $sn | $pn | $(ratio "$sn" "$pn") | ≤ 0.50 |
| report summary --area skog (s) | $fa | $qfa | $(ratio "$fa" "$qfa") | ≤ 1.00 |
| report summary --from 2020-03-01 (s) | $ff | $qff | $(ratio "$ff" "$qff") | ≤ 1.00 |
| report summary --org, owner only by hand (s) | $fo | $qfo | $(ratio "$fo" "$qfo") | ≤ 1.00 |
| database size at $projects (MiB) | $(mib "$sdb") | $(mib "$pdb") | | spets ≤ 1.5 × CSV ($(ratio "$sdb" "$csv") now) |

| at $projects projects, one change after the import | now (s) | --as-of the import (s) | as-of / now | target |
| --- | ---: | ---: | ---: | --- |
| report summary | $ns | $as | $(ratio "$as" "$ns") | ≤ 1.20 |
| report areas | $na | $aa | $(ratio "$aa" "$na") | ≤ 1.20 |

- \`audit verify\` at $projects: $sv s, $(ratio "$sv" "$si") × the import (target ≤ 0.50).

| import through rules | Kohesio list, --rules kohesio | the same projects, spets's CSV | rules / own | target |
| --- | ---: | ---: | ---: | --- |
| $projects rows (s) | $ki | $ko | $(ratio "$ki" "$ko") | ≤ 1.30 |
| peak memory (MiB) | $(mib $(( $(peak spets-kohesio) * 1024 ))) | $(mib $(( $(peak spets-kohesio-own) * 1024 ))) | | the same, flat |

- \`spets --sample report summary\`: $(ms "$sample") ms a run (target ≤ 10 ms); \`spets --version\`, the process alone: $(ms "$start") ms.
- CSV of $projects projects: $(mib "$csv") MiB; spets database / CSV: $(ratio "$sdb" "$csv").
- Growth from $tenth to $projects projects: spets × $(ratio "$si" "$si10") (linear: × 10), sqlite3 × $(ratio "$qi" "$qi10").
- The two area breakdowns give the same numbers: $same.
- The Kohesio list and its own-format copy give the same projects: $same_kohesio.
EOF
# A smoke run (CI) fails when the two tools disagree, or the two files do.
[ "$same" = "yes" ] && [ "$same_kohesio" = "yes" ]
