#!/usr/bin/env bash
# The whole test suite: installs the external checkers the tests call, then runs
# formatting, lint and every test. Under CI=true a missing checker fails the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v qpdf >/dev/null || need+=(qpdf)
command -v pdftotext >/dev/null || need+=(poppler-utils)
[ -f /usr/share/java/epubcheck.jar ] && command -v java >/dev/null || need+=(epubcheck)
command -v molly-brown >/dev/null || need+=(molly-brown)
command -v openssl >/dev/null || need+=(openssl)
command -v unshare >/dev/null || need+=(util-linux)
command -v ip >/dev/null || need+=(iproute2)
command -v man >/dev/null || need+=(man-db)
# The browser DAISY Ace checks the EPUBs in (tests/ace.rs; Ace itself comes from npm below).
command -v chromium >/dev/null || need+=(chromium)
# Fallback fonts for the PDF's Japanese and emoji test (tests/fallback_fonts.rs).
[ -f /usr/share/fonts/truetype/vlgothic/VL-Gothic-Regular.ttf ] || need+=(fonts-vlgothic)
[ -f /usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf ] || need+=(fonts-symbola)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${need[@]}"
  else
    echo "test.sh: missing ${need[*]}; install them (apt-get install ${need[*]}) or run as root" >&2
  fi
fi

# The CommonMark spec's examples are test input; the spec comes from its npm package (it is not
# kept in this repository). Tests find it in target/test-data; under CI=true its absence fails.
spec_dir=target/test-data/commonmark-spec
if [ ! -f "$spec_dir/package/spec.txt" ]; then
  if ! command -v npm >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get update -q && apt-get install -y -q --no-install-recommends npm
  fi
  if command -v npm >/dev/null; then
    mkdir -p "$spec_dir"
    (cd "$spec_dir" && npm pack --silent commonmark-spec@0.31.2 >/dev/null && tar xzf commonmark-spec-0.31.2.tgz)
  else
    echo "test.sh: npm is missing; the CommonMark tests need the commonmark-spec package" >&2
  fi
fi

# DAISY Ace, the EPUB accessibility checker (tests/ace.rs), from npm into target/test-tools/ace.
# It drives Debian's Chromium through puppeteer: no browser is downloaded by npm (puppeteer's
# Chromium and the Electron binary of Ace's other runner are skipped; install scripts are off).
ace_dir=target/test-tools/ace
if [ ! -x "$ace_dir/node_modules/.bin/ace-puppeteer" ]; then
  if command -v npm >/dev/null; then
    mkdir -p "$ace_dir"
    PUPPETEER_SKIP_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1 \
      npm install --silent --no-audit --no-fund --ignore-scripts --prefix "$ace_dir" @daisy/ace@1.4.6
  else
    echo "test.sh: npm is missing; the accessibility tests need the @daisy/ace package" >&2
  fi
fi

cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
# The public API is documented (missing_docs in Cargo.toml) and its links resolve.
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked
cargo test --locked
