#!/usr/bin/env bash
# Per-phase timings (medians of RUNS runs, release binary, `--timings`) of one build, plus the
# whole process's wall time. Usage: bench/timings.sh [RUNS] -- [kr-publish args...]
# e.g. bench/timings.sh 5 -- --book book --out /tmp/kr          (all formats)
#      bench/timings.sh 5 -- --book /tmp/big --out /tmp/big-out --format gemini
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}; shift || true
[ "${1:-}" = "--" ] && shift
[ "$#" -gt 0 ] || set -- --book book --out "$(mktemp -d)/out"
[ -n "${NO_BUILD:-}" ] || cargo build --release --quiet
bin=target/release/kr-publish
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  "$bin" "$@" --timings > /dev/null 2> "$tmp/err"
  end=$(date +%s%N)
  grep '^timing:' "$tmp/err" | sed 's/^timing: *//' >> "$tmp/phases"
  echo "$(( (end - start) / 1000 )) us whole process (wall)" >> "$tmp/phases"
done
# median per phase name, in first-seen order
awk '{ v = ($2 == "ms") ? $1 : $1 / 1000; name = $0; sub(/^[^ ]+ +[^ ]+ +/, "", name)
       if (!(name in n)) order[++k] = name; vals[name, ++n[name]] = v }
     END { for (i = 1; i <= k; i++) { m = order[i]; c = n[m]
             for (a = 1; a <= c; a++) x[a] = vals[m, a]
             for (a = 1; a <= c; a++) for (b = a + 1; b <= c; b++) if (x[b] < x[a]) { t = x[a]; x[a] = x[b]; x[b] = t }
             med = (c % 2) ? x[(c + 1) / 2] : (x[c / 2] + x[c / 2 + 1]) / 2
             printf "%10.1f ms  %s\n", med, m } }' "$tmp/phases"
