#!/usr/bin/env python3
"""Exports an mdBook-style book (book.toml + src/SUMMARY.md) as one document for the peers
bench/compare.sh measures kr-publish against.

  book-export.py markdown BOOK OUT.md   the chapters' Markdown concatenated in SUMMARY order
                                        (front matter dropped, each chapter under its title),
                                        with a pandoc title block: pandoc's input
  book-export.py typst BOOK OUT.typ     a simpler conversion to Typst markup: headings,
                                        paragraphs, lists, code, emphasis and links as text

The Typst conversion is deliberately small (no cmarker offline): it keeps the text and the
structure, not every Markdown feature, so Typst sets a simpler document than kr-publish does.
"""

import re
import sys
import tomllib
from pathlib import Path


def chapters(book: Path):
    """Yields (level, title, markdown) in reading order: part titles (level 1, no text) and
    chapters (level 2 and deeper by nesting in SUMMARY.md)."""
    conf = tomllib.loads((book / "book.toml").read_text(encoding="utf-8"))
    src = book / conf.get("book", {}).get("src", "src")
    link = re.compile(r"^(\s*)(?:[-*]\s+)?\[([^\]]*)\]\(([^)]*)\)")
    for line in (src / "SUMMARY.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("# ") and line.strip() != "# Summary":
            yield 1, line[2:].strip(), ""
            continue
        m = link.match(line)
        if not m or not m.group(3):
            continue
        depth = len(m.group(1).expandtabs(4)) // 4
        text = (src / m.group(3)).read_text(encoding="utf-8")
        title = m.group(2)
        if text.startswith("+++"):
            end = text.find("\n+++", 3)
            front = tomllib.loads(text[3:end]) if end > 0 else {}
            title = front.get("title", title)
            text = text[end + 4 :] if end > 0 else text
        # A chapter that opens with its own top heading is titled by it.
        h = re.match(r"\s*# (.*)\n", text)
        if h:
            title, text = h.group(1).strip(), text[h.end() :]
        yield 2 + depth, title, text


def markdown(book: Path) -> str:
    conf = tomllib.loads((book / "book.toml").read_text(encoding="utf-8"))
    b = conf.get("book", {})
    out = ["---", f"title: {quote(b.get('title', 'Book'))}"]
    out += [f"author: {quote(a)}" for a in b.get("authors", [])[:1]]
    out += [f"lang: {b.get('language', 'en')}", "---", ""]
    for level, title, text in chapters(book):
        out.append(f"{'#' * min(level, 6)} {title}\n")
        # A chapter's own headings go under its title.
        out.append(re.sub(r"(?m)^(#{1,5}) ", lambda m: "#" * min(len(m.group(1)) + level - 1, 6) + " ", text))
        out.append("")
    return "\n".join(out)


def quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# Typst markup: every character that can start markup is escaped with a backslash.
SPECIAL = set("\\#*_`$<>@[]=-+/~.:")


def escape(s: str) -> str:
    return "".join("\\" + c if c in SPECIAL else c for c in s)


INLINE = re.compile(
    r"(?P<code>`+)(?P<c>.+?)(?P=code)"
    r"|!?\[(?P<lt>[^\]]*)\]\([^)]*\)"
    r"|\*\*(?P<b>[^*]+)\*\*"
    r"|(?<!\w)[*_](?P<i>[^*_]+)[*_](?!\w)"
    r"|<[^>]+>"
)


def inline(s: str) -> str:
    out, pos = [], 0
    for m in INLINE.finditer(s):
        out.append(escape(s[pos : m.start()]))
        if m.group("c") is not None:
            out.append("#raw(" + quote(m.group("c").strip()) + ")")
        elif m.group("lt") is not None:
            out.append(inline(m.group("lt")))
        elif m.group("b") is not None:
            out.append("*" + inline(m.group("b")) + "*")
        elif m.group("i") is not None:
            out.append("_" + inline(m.group("i")) + "_")
        pos = m.end()
    out.append(escape(s[pos:]))
    return "".join(out)


def typst(book: Path) -> str:
    conf = tomllib.loads((book / "book.toml").read_text(encoding="utf-8"))
    title = conf.get("book", {}).get("title", "Book")
    out = [
        '#set page(paper: "a4", numbering: "1")',
        '#set text(font: "Gentium Book Plus", size: 10.5pt, lang: "en")',
        '#show raw: set text(font: "DejaVu Sans Mono")',
        "#set par(justify: true)",
        "#set heading(numbering: none)",
        f"#align(center, text(24pt)[{escape(title)}])",
        "#outline()",
        "",
    ]
    for level, head, text in chapters(book):
        if level == 1:
            out.append("#pagebreak(weak: true)")
        out.append(f"{'=' * min(level, 6)} {escape(head)}\n")
        out.extend(typst_blocks(text, level))
    return "\n".join(out) + "\n"


def typst_blocks(text: str, level: int):
    fence = None
    for line in text.splitlines():
        if fence is not None:
            if line.strip().startswith(fence):
                yield "```"
                fence = None
            else:
                yield line.replace("```", "` ``")
            continue
        m = re.match(r"^\s*(`{3,}|~{3,})\s*([\w+-]*)", line)
        if m:
            fence = m.group(1)
            yield "```" + m.group(2)
            continue
        h = re.match(r"^(#{1,6})\s+(.*)$", line)
        if h:
            yield "=" * min(len(h.group(1)) + level - 1, 6) + " " + inline(h.group(2))
            continue
        li = re.match(r"^(\s*)(?:[-*+]|(\d+)[.)])\s+(.*)$", line)
        if li:
            marker = "+" if li.group(2) else "-"
            yield li.group(1) + marker + " " + inline(li.group(3))
            continue
        q = re.match(r"^\s*>\s?(.*)$", line)
        if q:
            yield inline(q.group(1))
            continue
        if re.match(r"^\s*(\|.*\||<!--.*-->)\s*$", line):
            yield escape(line.strip()) if line.lstrip().startswith("|") else ""
            continue
        yield inline(line)


def main() -> None:
    if len(sys.argv) != 4 or sys.argv[1] not in ("markdown", "typst"):
        sys.exit(__doc__)
    book, out = Path(sys.argv[2]), Path(sys.argv[3])
    text = markdown(book) if sys.argv[1] == "markdown" else typst(book)
    out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
