#!/usr/bin/env bash
# Writes a book of N long chapters to DIR: each chapter is the whole Kernel Recipes book's text
# (front matter stripped, each talk a level-2 heading), the other shape of a big book (few
# long chapters, where make-big-book.sh makes thousands of short ones). 170 chapters ≈ 10 MB.
# Usage: bench/make-long-book.sh N DIR
set -euo pipefail
n=${1:?chapters}; dir=${2:?output dir}
root="$(cd "$(dirname "$0")/.." && pwd)"; src="$root/book/src"
rm -rf "$dir"; mkdir -p "$dir/src"
sed -e 's/^base-name = .*/base-name = "long-book"/' -e "s#^cover = .*#cover = \"$root/covers/kernel-recipes-2023.svg\"#" "$root/book/book.toml" > "$dir/book.toml"
body=$(for f in $(grep -o '([^)]*\.md)' "$src/SUMMARY.md" | tr -d '()' | grep day-); do
  t=$(grep -m1 '^title = ' "$src/$f" | sed 's/^title = "\(.*\)"/\1/')
  echo; echo "## $t"; echo
  awk 'BEGIN{fm=0} /^\+\+\+$/{fm++; next} fm>=2 || fm==0 {print}' "$src/$f"
done)
{ echo "# Summary"; echo; } > "$dir/src/SUMMARY.md"
for i in $(seq 1 "$n"); do
  { echo "# Chapter $i"; echo "$body"; } > "$dir/src/ch-$i.md"
  echo "- [Chapter $i](ch-$i.md)" >> "$dir/src/SUMMARY.md"
done
du -sh "$dir" | cut -f1 | sed "s/^/book size: /"
