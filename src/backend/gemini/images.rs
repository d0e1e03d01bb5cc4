//! Images the book references, copied into the capsule's `images/` directory under ASCII
//! slug names; each source file is copied once however often it is used.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::backend::RenderContext;
use crate::ir::Chapter;
use crate::slug::slugify;

#[derive(Default)]
pub struct Assets {
    /// Source file → capsule path.
    by_source: BTreeMap<PathBuf, String>,
    /// Capsule path → (bytes, alt text of its first use).
    pub files: BTreeMap<String, (Vec<u8>, String)>,
    names: BTreeSet<String>,
}

impl Assets {
    /// Adds the image `src` (relative to the chapter's source file) and returns its capsule
    /// path, or a message saying why it cannot be used.
    pub fn add(
        &mut self,
        cx: &RenderContext,
        c: &Chapter,
        src: &str,
        alt: &str,
    ) -> Result<String, String> {
        let src_clean = src.split(['?', '#']).next().unwrap_or(src);
        let chapter_dir = Path::new(&c.source).parent().unwrap_or(Path::new(""));
        let file = cx
            .book_dir
            .join(&cx.config.book.src)
            .join(chapter_dir)
            .join(src_clean);
        let key = normalise(&file);
        if let Some(path) = self.by_source.get(&key) {
            return Ok(path.clone());
        }
        let bytes = std::fs::read(&file).map_err(|e| {
            format!(
                "image `{src}` ({}) cannot be read, only its alt text is kept: {e}",
                file.display()
            )
        })?;
        let p = Path::new(src_clean);
        let stem = p
            .file_stem()
            .and_then(|s| s.to_str())
            .map(slugify)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "image".to_string());
        let ext = p
            .extension()
            .and_then(|s| s.to_str())
            .map(|e| e.to_ascii_lowercase())
            .filter(|e| e.chars().all(|c| c.is_ascii_alphanumeric()) && !e.is_empty());
        let name = |n: usize| {
            let suffix = if n == 1 {
                String::new()
            } else {
                format!("-{n}")
            };
            match &ext {
                Some(e) => format!("images/{stem}{suffix}.{e}"),
                None => format!("images/{stem}{suffix}"),
            }
        };
        let mut n = 1;
        while self.names.contains(&name(n)) || name(n) == "images/index.gmi" {
            n += 1;
        }
        let path = name(n);
        self.names.insert(path.clone());
        self.by_source.insert(key, path.clone());
        self.files.insert(path.clone(), (bytes, alt.to_string()));
        Ok(path)
    }
}

/// `a/b/../c` → `a/c`, so the same file reached two ways is copied once.
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            std::path::Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}
