#!/usr/bin/env bash
# Writes a big book made of N copies of the Kernel Recipes book (each copy a part per day,
# with its own chapter files) to DIR, for measuring cost against size. With --unique, each
# prose line of copy i has its words rotated by i and ends with "(i)": no paragraph repeats
# (rotation alone repeats a line of n words every n copies), so nothing set once can be
# reused, as in a real book (the harder case for layout's caches).
# Usage: bench/make-big-book.sh N DIR [--unique]
set -euo pipefail
n=${1:?copies}; dir=${2:?output dir}; unique=${3:-}
src="$(cd "$(dirname "$0")/.." && pwd)/book"
rm -rf "$dir"; mkdir -p "$dir/src"
root="$(dirname "$src")"
sed -e 's/^base-name = .*/base-name = "big-book"/' -e "s#^cover = .*#cover = \"$root/covers/kernel-recipes-2023.svg\"#" "$src/book.toml" > "$dir/book.toml"
cp "$src/src/about.md" "$dir/src/"
{
  echo "# Summary"; echo; echo "[About this edition](about.md)"; echo
  for i in $(seq 1 "$n"); do
    mkdir -p "$dir/src/copy-$i"
    cp -r "$src/src/day-1" "$src/src/day-2" "$src/src/day-3" "$dir/src/copy-$i/"
    if [ "$unique" = --unique ]; then
      for f in "$dir/src/copy-$i"/day-*/*.md; do
        # Prose lines only: not front matter (between +++ lines), code, lists or headings.
        awk -v k="$i" '
          /^\+\+\+$/ { fm = !fm; print; next }
          /^```/ { code = !code; print; next }
          !fm && !code && /^[A-Za-z0-9`]/ {
            n = split($0, w, " "); s = k % n; out = ""
            for (j = 1; j <= n; j++) out = out (j > 1 ? " " : "") w[(j + s - 1) % n + 1]
            print out " (" k ")"; next
          }
          { print }' "$f" > "$f.tmp" && mv "$f.tmp" "$f"
      done
    fi
    # Part titles get the copy number; chapter links get the copy's folder.
    sed -n '/^# Day/,$p' "$src/src/SUMMARY.md" | sed -e "s/^# \(.*\)/# \1 (copy $i)/" -e "s#](day-#](copy-$i/day-#"
  done
} > "$dir/src/SUMMARY.md"
du -sh "$dir" | cut -f1 | sed "s/^/book size: /"
