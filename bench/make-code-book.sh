#!/usr/bin/env bash
# Writes a code-heavy book of N chapters (default 46, about 1 MB of Markdown and 900 listings)
# to DIR, for measuring what syntax highlighting costs: each chapter is prose between fenced
# blocks, mostly Rust, plus C, shell, console, Python, JSON, TOML, YAML, diff, make, Go and
# JavaScript. Names vary with the chapter and listing numbers, so no two listings are the same
# (the highlighter caches identical ones).
# Usage: bench/make-code-book.sh [N] DIR
set -euo pipefail
if [ $# -ge 2 ]; then n=$1; dir=$2; else n=46; dir=${1:?output dir}; fi
rm -rf "$dir"; mkdir -p "$dir/src"
cat > "$dir/book.toml" <<TOML
[book]
title = "Code Book"
authors = ["Bench Writer"]
language = "en"
src = "src"

[publish]
identifier = "urn:uuid:0d6c3b4e-58a5-4c1e-9f0a-5b7d2f4e6a11"
date = "2024-01-15"
base-name = "code-book"
TOML

prose() { # chapter, listing
  cat <<P

The listing below, number $2 of chapter $1, shows one more way to put the pieces together.
Read it from the top: the types come first, then the functions that use them, and the tests at
the end say what the code promises. Nothing here is clever on purpose; the point is to see the
ordinary shape of a program, the one you will write a hundred times, with its \`Result\`s,
its loops and its error messages that say what went wrong and where.

P
}

rust_struct() { cat <<R
\`\`\`rust
use std::collections::HashMap;
use std::fmt;

/// An inventory of parts, counted by name (chapter $1, listing $2).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inventory$2 {
    items: HashMap<String, u32>,
    limit: usize,
}

impl Inventory$2 {
    /// A new, empty inventory holding at most \`limit\` kinds of part.
    pub fn new(limit: usize) -> Self {
        Self { items: HashMap::new(), limit }
    }

    /// Adds \`n\` of \`name\`; fails when the inventory is full.
    pub fn add(&mut self, name: &str, n: u32) -> Result<u32, String> {
        if !self.items.contains_key(name) && self.items.len() >= self.limit {
            return Err(format!("inventory full: cannot add {name:?} ({} kinds)", self.limit));
        }
        let count = self.items.entry(name.to_string()).or_insert(0);
        *count = count.saturating_add(n);
        Ok(*count)
    }
}

impl fmt::Display for Inventory$2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<_> = self.items.iter().collect();
        names.sort();
        for (name, count) in names {
            writeln!(f, "{name:>12}: {count:5}")?; // right-aligned
        }
        Ok(())
    }
}
\`\`\`
R
}

rust_main() { cat <<R
\`\`\`rust,ignore
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().ok_or("usage: count$2 FILE")?;
    let text = std::fs::read_to_string(path)?;
    let mut words = 0usize;
    let mut lines = 0usize;
    for line in text.lines() {
        lines += 1;
        words += line.split_whitespace().count();
    }
    /* Print both, tab-separated, like wc(1). */
    println!("{lines}\t{words}\t{path}");
    let ratio = if lines == 0 { 0.0 } else { words as f64 / lines as f64 };
    eprintln!("{:.2} words per line in chapter $1", ratio);
    Ok(())
}
\`\`\`
R
}

rust_trait() { cat <<R
\`\`\`rust
trait Shape$2 {
    const SIDES: u8;
    fn area(&self) -> f64;
    fn describe(&self) -> String {
        format!("a shape with {} sides and area {:.1}", Self::SIDES, self.area())
    }
}

struct Square(f64);
struct Triangle { base: f64, height: f64 }

impl Shape$2 for Square {
    const SIDES: u8 = 4;
    fn area(&self) -> f64 { self.0 * self.0 }
}

impl Shape$2 for Triangle {
    const SIDES: u8 = 3;
    fn area(&self) -> f64 { 0.5 * self.base * self.height }
}

fn largest<'a, T: Shape$2>(shapes: &'a [T]) -> Option<&'a T> {
    shapes.iter().max_by(|a, b| a.area().total_cmp(&b.area()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squares_have_four_sides() {
        assert_eq!(Square::SIDES, 4);
        assert!((Square(2.0).area() - 4.0).abs() < f64::EPSILON);
        let t = [Triangle { base: 1.0, height: $1.0 }, Triangle { base: 2.0, height: 1.0 }];
        assert!(largest(&t).is_some());
    }
}
\`\`\`
R
}

rust_enum() { cat <<R
\`\`\`rust
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token$2 {
    Number(i64),
    Plus,
    Minus,
    Star,
    LParen,
    RParen,
}

fn tokenize(src: &str) -> Result<Vec<Token$2>, String> {
    let mut out = Vec::new();
    let mut chars = src.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' | '\t' => { chars.next(); }
            '0'..='9' => {
                let mut n = 0i64;
                while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                    n = n * 10 + i64::from(d);
                    chars.next();
                }
                out.push(Token$2::Number(n));
            }
            '+' => { out.push(Token$2::Plus); chars.next(); }
            '-' => { out.push(Token$2::Minus); chars.next(); }
            '*' => { out.push(Token$2::Star); chars.next(); }
            '(' => { out.push(Token$2::LParen); chars.next(); }
            ')' => { out.push(Token$2::RParen); chars.next(); }
            other => return Err(format!("unexpected {other:?} at chapter $1")),
        }
    }
    Ok(out)
}
\`\`\`
R
}

rust_async() { cat <<R
\`\`\`rust,no_run
use std::sync::{Arc, Mutex};
use std::thread;

static GREETING: &str = "worker";

fn spawn_workers(n: usize) -> Vec<thread::JoinHandle<u64>> {
    let total = Arc::new(Mutex::new(0u64));
    (0..n)
        .map(|i| {
            let total = Arc::clone(&total);
            thread::spawn(move || {
                let mut sum = 0u64;
                for k in 0..=($2 as u64 * 1_000) {
                    sum = sum.wrapping_add(k ^ i as u64);
                }
                let mut t = total.lock().unwrap_or_else(|e| e.into_inner());
                *t += sum;
                println!("{GREETING} {i}: {sum:#x}");
                sum
            })
        })
        .collect()
}

pub unsafe fn raw_copy(src: *const u8, dst: *mut u8, len: usize) {
    // SAFETY: the caller promises both regions are valid and do not overlap.
    unsafe { std::ptr::copy_nonoverlapping(src, dst, len) }
}
\`\`\`
R
}

c_code() { cat <<C
\`\`\`c
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_SIZE ($2 * 64)

/* Reads a file into memory; the caller frees it. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		perror(path);
		return NULL;
	}
	char *buf = malloc(BUF_SIZE);
	size_t n = fread(buf, 1, BUF_SIZE - 1, f);
	buf[n] = '\0';
	fclose(f);
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	size_t len = 0;
	for (int i = 1; i < argc; i++) {
		char *text = slurp(argv[i], &len);
		if (!text)
			return EXIT_FAILURE;
		printf("%s: %zu bytes, chapter %d\n", argv[i], len, $1);
		free(text);
	}
	return 0;
}
\`\`\`
C
}

sh_code() { cat <<S
\`\`\`sh
#!/bin/sh
# Build every example of chapter $1 and keep the logs.
set -eu
out=\${OUT:-target/examples-$2}
mkdir -p "\$out"
for src in examples/*.rs; do
    name=\$(basename "\$src" .rs)
    if ! rustc --edition 2021 -O -o "\$out/\$name" "\$src" 2> "\$out/\$name.log"; then
        echo "failed: \$name (see \$out/\$name.log)" >&2
        exit 1
    fi
done
echo "built \$(ls "\$out" | wc -l) files in \$out"
\`\`\`
S
}

console_code() { cat <<S
\`\`\`console
\$ cargo new --bin hello$2
    Creating binary (application) \`hello$2\` package
\$ cd hello$2 && cargo run --release
   Compiling hello$2 v0.1.0 (/home/user/hello$2)
    Finished \`release\` profile [optimized] target(s) in 0.$1s
     Running \`target/release/hello$2\`
Hello, world!
\`\`\`
S
}

python_code() { cat <<Y
\`\`\`python
import json
from pathlib import Path


class Report$2:
    """Counts the listings of each language in a book (chapter $1)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.counts: dict[str, int] = {}

    def scan(self) -> "Report$2":
        for page in sorted(self.root.glob("**/*.md")):
            for line in page.read_text(encoding="utf-8").splitlines():
                if line.startswith("\`\`\`") and len(line) > 3:
                    lang = line[3:].split(",")[0]
                    self.counts[lang] = self.counts.get(lang, 0) + 1
        return self

    def __str__(self) -> str:
        return json.dumps(self.counts, indent=2, sort_keys=True)


if __name__ == "__main__":
    print(Report$2(Path("src")).scan())  # one line per language
\`\`\`
Y
}

json_code() { cat <<J
\`\`\`json
{
  "name": "example-$2",
  "version": "1.$1.0",
  "private": true,
  "scripts": { "build": "tsc -p .", "test": "node --test" },
  "dependencies": { "left-pad": "^1.3.0" },
  "tags": ["chapter-$1", "listing-$2", null],
  "ratio": 0.75,
  "enabled": false
}
\`\`\`
J
}

toml_code() { cat <<T
\`\`\`toml
[package]
name = "example-$2"   # the crate's name
version = "0.$1.0"
edition = "2021"

[dependencies]
serde = { version = "1", features = ["derive"] }
rand = "0.8"

[profile.release]
lto = true
opt-level = 3
\`\`\`
T
}

yaml_code() { cat <<Y
\`\`\`yaml
# CI for chapter $1
name: build-$2
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: cargo test --all-targets
        env:
          RUST_BACKTRACE: 1
          RETRIES: $2
\`\`\`
Y
}

diff_code() { cat <<D
\`\`\`diff
--- a/src/main.rs
+++ b/src/main.rs
@@ -1,6 +1,7 @@
 fn main() {
-    let x = 5;
+    let mut x = 5;
     println!("The value of x is: {x}");
+    x = $2;
     println!("The value of x is: {x}");
 }
\`\`\`
D
}

make_code() { cat <<M
\`\`\`makefile
CC ?= cc
CFLAGS += -O2 -Wall -Wextra
OBJS := main.o util$2.o

# Link everything (chapter $1).
app: \$(OBJS)
	\$(CC) \$(CFLAGS) -o \$@ \$^

%.o: %.c
	\$(CC) \$(CFLAGS) -c \$< -o \$@

.PHONY: clean
clean:
	rm -f app \$(OBJS)
\`\`\`
M
}

go_code() { cat <<G
\`\`\`go
package main

import (
	"fmt"
	"os"
	"strings"
)

// Counter$2 counts words by their first letter.
type Counter$2 map[rune]int

func (c Counter$2) Add(text string) {
	for _, w := range strings.Fields(text) {
		c[[]rune(w)[0]]++
	}
}

func main() {
	c := Counter$2{}
	for _, arg := range os.Args[1:] {
		c.Add(arg)
	}
	if len(c) == 0 {
		fmt.Fprintln(os.Stderr, "nothing to count")
		os.Exit($1)
	}
	fmt.Printf("%v\n", c)
}
\`\`\`
G
}

js_code() { cat <<J
\`\`\`js
// Fetches the listings index and shows the count (chapter $1).
const LIMIT = $2;

async function load(url) {
  const res = await fetch(url);
  if (!res.ok) {
    throw new Error(\`HTTP \${res.status} for \${url}\`);
  }
  return res.json();
}

export class Index$2 {
  constructor(items = []) {
    this.items = items.filter((x) => x !== null).slice(0, LIMIT);
  }

  get size() {
    return this.items.length;
  }
}

load("/index.json").then((data) => console.log(new Index$2(data).size));
\`\`\`
J
}

# Mostly Rust, one of each other language per chapter.
kinds=(rust_struct rust_main rust_trait rust_enum rust_async rust_struct rust_trait rust_enum
  rust_main c_code sh_code console_code python_code json_code toml_code yaml_code diff_code
  make_code go_code js_code)
echo "# Summary" > "$dir/src/SUMMARY.md"
echo >> "$dir/src/SUMMARY.md"
k=0
for c in $(seq 1 "$n"); do
  echo "- [Chapter $c](chapter-$c.md)" >> "$dir/src/SUMMARY.md"
  {
    echo "# Chapter $c"
    for kind in "${kinds[@]}"; do
      k=$((k + 1))
      prose "$c" "$k"
      "$kind" "$c" "$k"
    done
  } > "$dir/src/chapter-$c.md"
done
du -sb "$dir/src" | awk -v k="$k" '{printf "book size: %.2f MB, %d listings\n", $1/1e6, k}'
