#!/usr/bin/env bash
# Writes docs/report.png: the published report of the sample portfolio
# (`spets --sample report html`) as headless Chromium shows it, for the README.
#
#   bash docs/make-screenshot.sh
#
# Needs Debian's chromium (apt-get install chromium; .ci/run installs it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --bin spets --manifest-path "$root/Cargo.toml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$root/target/release/spets" --sample --lang sv report html -o "$tmp/report.html"
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --disable-quic --user-data-dir="$tmp/profile" \
  --hide-scrollbars --window-size=900,1500 --screenshot="$root/docs/report.png" "file://$tmp/report.html" 2>/dev/null
echo "wrote $root/docs/report.png"
