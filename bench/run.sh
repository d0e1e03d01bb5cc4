#!/usr/bin/env bash
# Times whole builds (release binary) and their phases (bench/timings.sh): the Kernel Recipes
# book in every format, and a big book
# made of N copies of it, with peak memory. Usage: bench/run.sh [COPIES]   (default 120 ≈ 10 MB of Markdown)
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-120}
cargo build --release --quiet
bin=target/release/kr-publish
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
measure() { # label, args...
  local label=$1; shift
  /usr/bin/time -f "%e s, %M KiB peak" -o "$tmp/time" "$bin" "$@" > /dev/null
  echo "$label: $(cat "$tmp/time")"
}
for i in 1 2 3; do measure "kernel recipes, all formats (run $i)" --book book --out "$tmp/kr" --format all; done
echo "kernel recipes, all formats, per phase (medians of 5, --timings):"
NO_BUILD=1 bench/timings.sh 5 -- --book book --out "$tmp/kr"
bench/make-big-book.sh "$copies" "$tmp/big"
du -sb "$tmp/big/src" | awk '{printf "markdown: %.1f MB\n", $1/1e6}'
for f in text json epub gemini pdf all; do measure "big book ($copies copies), $f" --book "$tmp/big" --out "$tmp/big-out" --format "$f" || true; done
echo "big book ($copies copies), all formats, per phase (medians of 3, --timings):"
NO_BUILD=1 bench/timings.sh 3 -- --book "$tmp/big" --out "$tmp/big-out"
