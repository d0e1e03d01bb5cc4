#!/usr/bin/env bash
# Writes a big book made of N copies of the Kernel Recipes book (each copy a part per day,
# with its own chapter files) to DIR, for measuring cost against size.
# Usage: bench/make-big-book.sh N DIR
set -euo pipefail
n=${1:?copies}; dir=${2:?output dir}
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
    # Part titles get the copy number; chapter links get the copy's folder.
    sed -n '/^# Day/,$p' "$src/src/SUMMARY.md" | sed -e "s/^# \(.*\)/# \1 (copy $i)/" -e "s#](day-#](copy-$i/day-#"
  done
} > "$dir/src/SUMMARY.md"
du -sh "$dir" | cut -f1 | sed "s/^/book size: /"
