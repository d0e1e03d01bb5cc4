#!/usr/bin/env bash
# Side by side: kr-publish against pandoc (EPUB) and Typst (PDF) on the same books, the Kernel
# Recipes book and a big book of COPIES copies of it (default 120 ≈ 10 MB of Markdown).
# Prints a Markdown table of median wall times, peak memory (max RSS) and ratios.
#
# Usage: bench/compare.sh [--readme] [COPIES]
#   --readme   print only the machine line and the table (for README.md's Performance section)
# Env: RUNS (default 5) runs per job; PEER_BIG_RUNS (default 3) for the peers on the big book;
#      KR_PUBLISH a kr-publish binary to measure instead of building target/release/kr-publish.
#
# Installs what is missing: pandoc and /usr/bin/time with apt-get (as root), and PyPI's `typst`
# package (Python bindings of the Typst compiler) into a venv under target/. The peers get the
# book through bench/book-export.py: pandoc the chapters' Markdown concatenated in SUMMARY
# order; Typst a simpler conversion (headings, paragraphs, lists, code; no cover, no links, no
# tagged PDF), so its PDF is a smaller job than kr-publish's. Every time is a whole process,
# start-up included (Typst's: a Python interpreter that imports the module).
set -euo pipefail
cd "$(dirname "$0")/.."
readme=
[ "${1:-}" = "--readme" ] && { readme=1; shift; }
copies=${1:-120}
runs=${RUNS:-5}
peer_big_runs=${PEER_BIG_RUNS:-3}
log() { [ -n "$readme" ] || echo "$@" >&2; }

apt_install() { # package...
  if [ "$(id -u)" != 0 ]; then log "missing $*: install it (not root, so not done here)"; return 1; fi
  log "installing $* with apt-get"
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}
[ -x /usr/bin/time ] || apt_install time
command -v pandoc > /dev/null || apt_install pandoc || true
venv=target/bench-venv
py=$venv/bin/python
if ! "$py" -c 'import typst' 2> /dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv" 2> /dev/null || { apt_install python3-venv && python3 -m venv "$venv"; }
  log "installing typst from PyPI into $venv"
  "$venv/bin/pip" install --quiet typst >&2
fi

if [ -n "${KR_PUBLISH:-}" ]; then bin=$KR_PUBLISH; else
  cargo build --release --quiet
  bin=target/release/kr-publish
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Typst through its Python bindings, with the fonts kr-publish bundles (and no others).
cat > "$tmp/typst-compile.py" <<'EOF'
import sys, typst
typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]], ignore_system_fonts=True)
EOF

# measure RUNS NAME CMD...: runs CMD RUNS times; writes "median_ms peak_kib" to $tmp/NAME.
measure() {
  local n=$1 name=$2; shift 2
  : > "$tmp/$name.runs"
  for _ in $(seq 1 "$n"); do
    local start end
    start=$(date +%s%N)
    if ! /usr/bin/time -f "%M" -o "$tmp/rss" "$@" > /dev/null 2> "$tmp/err"; then
      echo "$name failed:" >&2; tail -5 "$tmp/err" >&2; echo "- -" > "$tmp/$name"; return 0
    fi
    end=$(date +%s%N)
    echo "$(( (end - start) / 1000000 )) $(tail -1 "$tmp/rss")" >> "$tmp/$name.runs"
  done
  # Median wall time; peak memory: the median run's too (they barely vary).
  sort -n "$tmp/$name.runs" | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }' > "$tmp/$name"
  log "$name: $(tr '\n' ';' < "$tmp/$name.runs")"
}

books=(kr big)
declare -A dir=([kr]=book [big]="$tmp/big")
bench/make-big-book.sh "$copies" "$tmp/big" > /dev/null
for b in "${books[@]}"; do
  python3 bench/book-export.py markdown "${dir[$b]}" "$tmp/$b.md"
  python3 bench/book-export.py typst "${dir[$b]}" "$tmp/$b.typ"
done
size() { find "$1" -name '*.md' -print0 | du -cb --files0-from=- | awk 'END { b = $1; if (b < 1e6) printf "%d KB", b / 1e3; else printf "%.1f MB", b / 1e6 }'; }
declare -A label=([kr]="KR book ($(size book/src))" [big]="$copies copies ($(size "$tmp/big/src"))")

for b in "${books[@]}"; do
  peer_runs=$runs; [ "$b" = big ] && peer_runs=$peer_big_runs
  for f in epub pdf all; do
    # Rebuilds into one output folder, as an author does (the cover comes from its cache).
    measure "$runs" "kr-$b-$f" "$bin" --book "${dir[$b]}" --out "$tmp/out-$b" --format "$f"
  done
  if command -v pandoc > /dev/null; then
    measure "$peer_runs" "pandoc-$b" pandoc "$tmp/$b.md" -o "$tmp/$b-pandoc.epub"
  else
    echo "- -" > "$tmp/pandoc-$b"
  fi
  measure "$peer_runs" "typst-$b" "$py" "$tmp/typst-compile.py" "$tmp/$b.typ" "$tmp/$b-typst.pdf" fonts
done

pages() { # a PDF's page count: its page objects (neither writer compresses them into streams)
  python3 -c 'import re,sys; print(len(re.findall(rb"/Type\s*/Page\b(?!s)", open(sys.argv[1],"rb").read())))' "$1" 2> /dev/null || echo "?"
}
secs() { awk -v m="$1" 'BEGIN { if (m == "-") print "—"; else if (m < 1000) printf "%d ms", m; else printf "%.2f s", m / 1000 }'; }
mem() { awk -v k="$1" 'BEGIN { if (k == "-") print "—"; else if (k < 1048576) printf "%d MB", k / 1024; else printf "%.2f GB", k / 1048576 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "—"; else printf "%.1f×", a / b }'; }
row() { # job, kr file, peer label, peer time, peer peak
  local kt km; read -r kt km < "$tmp/$2"
  echo "| $1 | $(secs "$kt"), $(mem "$km") | $3 | $(secs "$4"), $(mem "$5") | $(ratio "$4" "$kt") | $(ratio "$5" "$km") |"
}

table() {
  local kr_pages big_pages
  kr_pages=$(pages "$tmp/out-kr/kernel-recipes-2023.pdf"); big_pages=$(pages "$tmp/out-big/big-book.pdf")
  echo "| job | kr-publish (median, peak memory) | peer | peer (median, peak memory) | peer time ÷ kr-publish | peer memory ÷ kr-publish |"
  echo "|---|---|---|---|---|---|"
  for b in "${books[@]}"; do
    local name=${label[$b]} pt pm tt tm
    read -r pt pm < "$tmp/pandoc-$b"; read -r tt tm < "$tmp/typst-$b"
    local kp tp; kp=$([ "$b" = kr ] && echo "$kr_pages" || echo "$big_pages"); tp=$(pages "$tmp/$b-typst.pdf")
    row "$name, EPUB" "kr-$b-epub" "pandoc $pandoc_v" "$pt" "$pm"
    row "$name, PDF ($kp pages)" "kr-$b-pdf" "Typst $typst_v, simpler document ($tp pages)" "$tt" "$tm"
    local st sm
    st=$(awk -v a="$pt" -v b="$tt" 'BEGIN { print (a == "-" || b == "-") ? "-" : a + b }')
    sm=$(awk -v a="$pm" -v b="$tm" 'BEGIN { print (a == "-" || b == "-") ? "-" : (a > b ? a : b) }')
    row "$name, all formats (EPUB, PDF, capsule, text, JSON)" "kr-$b-all" "pandoc EPUB + Typst PDF, one after the other" "$st" "$sm"
  done
}

pandoc_v=$(pandoc --version 2> /dev/null | awk 'NR == 1 { print $2 }'); pandoc_v=${pandoc_v:-(missing)}
typst_v=$("$py" -c 'import typst; print(typst.__version__)')
machine="$(date -u +%Y-%m-%d), $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -1)), $(free -g | awk '/^Mem:/ { print $2 }') GB of memory, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; kr-publish $(git describe --always --dirty 2> /dev/null || echo '?'); medians of $runs runs ($peer_big_runs for the peers on the big book), whole processes, warm caches"
if [ -z "$readme" ]; then
  log "per-run wall ms and peak KiB are above; kr-publish's outputs were rebuilt into one folder"
fi
echo "Measured $machine."
echo
table
