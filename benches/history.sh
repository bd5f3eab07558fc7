#!/usr/bin/env bash
# What the change history costs: an import of 100 000 projects (or --projects N) with
# the audit trail, and with a build that records none (feature `no-history`), median
# time of --runs R runs (default 3) and the database size.
#
#   benches/history.sh
set -euo pipefail
projects=100000
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --projects) projects=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "history: unknown argument $1 (expected --projects N or --runs R)" >&2; exit 2 ;;
  esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
data=${BENCH_DIR:-$root/benches/data}
mkdir -p "$data"
cargo build --release --quiet --bin spets --example generate --manifest-path "$root/Cargo.toml"
cargo build --release --quiet --bin spets --features no-history --target-dir "$root/target/no-history" --manifest-path "$root/Cargo.toml"
with=$root/target/release/spets
without=$root/target/no-history/release/spets
csv=$data/p$projects.csv
[ -s "$csv" ] || "$root/target/release/examples/generate" --projects "$projects" --seed 7 >"$csv"

rm -f "$data"/history-*.times
for run in $(seq "$runs"); do
  for variant in with without; do
    bin=${!variant}
    rm -f "$data/h-$variant.db" "$data/h-$variant.db-wal" "$data/h-$variant.db-shm"
    /usr/bin/time -f "%e" -o "$data/last.time" "$bin" --db "$data/h-$variant.db" import "$csv" >/dev/null
    cat "$data/last.time" >>"$data/history-$variant.times"
  done
done
median() { sort -g "$data/history-$1.times" | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
size() { stat -c %s "$data/h-$1.db"; }
tw=$(median with); to=$(median without); sw=$(size with); so=$(size without)
cat <<OUT
## The cost of the history — import of $projects projects, median of $runs run(s), $(date -u +%Y-%m-%d)

| | with history | without | cost |
| --- | ---: | ---: | ---: |
| time (s) | $tw | $to | $(awk -v a="$tw" -v b="$to" 'BEGIN {printf "+%.0f %%", (a / b - 1) * 100}') |
| database (MiB) | $(awk -v b="$sw" 'BEGIN {printf "%.1f", b / 1048576}') | $(awk -v b="$so" 'BEGIN {printf "%.1f", b / 1048576}') | $(awk -v a="$sw" -v b="$so" 'BEGIN {printf "+%.0f %%", (a / b - 1) * 100}') |
OUT
