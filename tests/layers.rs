//! The crate's layers hold: every `crate::` path in the library's code (tests aside) points to
//! the same layer or a lower one, and no two files depend on each other, directly or round a
//! longer loop. A new arrow upwards fails here, with the file that draws it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level modules by layer, lowest first. A module may use its own layer and those below.
const LAYERS: &[&[&str]] = &[
    // Leaf helpers: no knowledge of books.
    &[
        "slug",
        "xml",
        "uri",
        "paths",
        "html",
        "media",
        "fonts",
        "svg",
        "highlight",
        "timings",
    ],
    // The document tree and what talks about it.
    &["ir", "diag", "dates"],
    &["outputs", "config"],
    // Reading a book into the tree.
    &["assets", "cover", "resources", "parse"],
    &["typeset"],
    &["backend"],
    // The build: render, then write.
    &["output", "init", "report", "serve", "watch", "lib"],
];

fn layer_of(top: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&top))
}

/// `src/backend/epub/xhtml.rs` → `backend::epub::xhtml`; `src/lib.rs` → `lib`.
fn module_path(rel: &Path) -> String {
    let s = rel.with_extension("").display().to_string();
    let s = s.strip_suffix("/mod").unwrap_or(&s).to_string();
    s.replace('/', "::")
}

fn sources(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    for e in std::fs::read_dir(dir).expect("read src") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            sources(&p, root, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            let rel = p.strip_prefix(root).expect("inside src");
            if rel == Path::new("main.rs") {
                continue; // the binary: a crate of its own, above everything
            }
            if rel.file_name().is_some_and(|n| n == "tests.rs") {
                continue; // unit tests in a file of their own may reach anywhere
            }
            let text = std::fs::read_to_string(&p).expect("read");
            // Unit tests may reach anywhere.
            let code = match text.find("#[cfg(test)]\nmod tests") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
            // Comments may name any module.
            let code: String = code
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            out.push((module_path(rel), code));
        }
    }
}

/// The modules of the crate that `code` (in module `from`) refers to.
fn references(from: &str, code: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':';
    let mut add = |path: &str| {
        // The longest prefix that names a module (a file) of the crate.
        let parts: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        for n in (1..=parts.len()).rev() {
            let candidate = parts[..n].join("::");
            if modules.contains(&candidate) {
                if candidate != from {
                    out.insert(candidate);
                }
                return;
            }
        }
    };
    for (i, _) in code.match_indices("crate::") {
        let rest: String = code[i + 7..].chars().take_while(|&c| ident(c)).collect();
        add(&rest);
        // `use crate::{a::x, b}`: each item of a group.
        if code[i + 7..].starts_with('{') {
            let group = &code[i + 8..];
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let item: String = item.trim().chars().take_while(|&c| ident(c)).collect();
                add(&item);
            }
        }
    }
    // `super::x` from `a::b::c` is `a::b::x` (from `a/b/mod.rs`, module `a::b`, it is `a::x`).
    let parent = from.rsplit_once("::").map_or("", |(p, _)| p);
    for (i, _) in code.match_indices("super::") {
        if i > 0 && code[..i].ends_with("::") {
            continue;
        }
        let rest: String = code[i + 7..].chars().take_while(|&c| ident(c)).collect();
        let base = parent;
        let full = if base.is_empty() {
            rest
        } else {
            format!("{base}::{rest}")
        };
        add(&full);
        if code[i + 7..].starts_with('{') {
            let group = &code[i + 8..];
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let item: String = item.trim().chars().take_while(|&c| ident(c)).collect();
                add(&if base.is_empty() {
                    item
                } else {
                    format!("{base}::{item}")
                });
            }
        }
    }
    out
}

#[test]
fn every_arrow_points_down_and_no_file_loops() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut upward = Vec::new();
    for (m, code) in &files {
        let refs = references(m, code, &modules);
        let top = m.split("::").next().unwrap_or(m);
        let Some(from) = layer_of(top) else {
            upward.push(format!(
                "{m}: its top module `{top}` has no layer in LAYERS"
            ));
            continue;
        };
        for r in &refs {
            let rtop = r.split("::").next().unwrap_or(r);
            match layer_of(rtop) {
                Some(to) if to <= from => {}
                _ => upward.push(format!("{m} uses {r}, a layer above it")),
            }
        }
        graph.insert(m.clone(), refs);
    }
    assert!(upward.is_empty(), "{}", upward.join("\n"));
    // Loops between files, found by depth-first search.
    let mut loops = Vec::new();
    let mut state: BTreeMap<&str, u8> = BTreeMap::new(); // 1 on the path, 2 done
    fn visit<'a>(
        m: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<&'a str, u8>,
        path: &mut Vec<&'a str>,
        loops: &mut Vec<String>,
    ) {
        state.insert(m, 1);
        path.push(m);
        for next in graph.get(m).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(1) => {
                    let start = path.iter().position(|p| *p == next).unwrap_or(0);
                    loops.push(format!("{} → {next}", path[start..].join(" → ")));
                }
                Some(_) => {}
                None => visit(next, graph, state, path, loops),
            }
        }
        path.pop();
        state.insert(m, 2);
    }
    for m in graph.keys() {
        if !state.contains_key(m.as_str()) {
            visit(m, &graph, &mut state, &mut Vec::new(), &mut loops);
        }
    }
    assert!(
        loops.is_empty(),
        "files that depend on each other:\n{}",
        loops.join("\n")
    );
}

#[test]
fn the_check_sees_an_arrow_upwards() {
    let modules: BTreeSet<String> = ["ir", "backend", "backend::plain", "typeset::inline"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let refs = references(
        "typeset::inline",
        "use crate::backend::plain::strip_tags;\nuse crate::{ir::Span, backend};",
        &modules,
    );
    assert_eq!(
        refs.into_iter().collect::<Vec<_>>(),
        ["backend", "backend::plain", "ir"]
    );
}
