//! Images the book references, copied from the IR's asset table into the capsule's `images/`
//! directory under ASCII slug names; each image is copied once however often it is used.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::Book;
use crate::slug::slugify;

#[derive(Default)]
pub(crate) struct Assets {
    /// Asset index → capsule path.
    by_asset: BTreeMap<u32, String>,
    /// Capsule path → (bytes, alt text of its first use).
    pub files: BTreeMap<String, (Vec<u8>, String)>,
    names: BTreeSet<String>,
}

impl Assets {
    /// Adds asset `index` of the book and returns its capsule path.
    pub(crate) fn add(&mut self, book: &Book, index: u32, alt: &str) -> Option<String> {
        if let Some(path) = self.by_asset.get(&index) {
            return Some(path.clone());
        }
        let asset = book.assets.get(index as usize)?;
        let file = asset.path.rsplit('/').next().unwrap_or(&asset.path);
        let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
        let stem = match slugify(stem) {
            s if s.is_empty() => "image".to_string(),
            s => s,
        };
        let ext = asset.format.extension();
        let name = |n: usize| match n {
            1 => format!("images/{stem}.{ext}"),
            n => format!("images/{stem}-{n}.{ext}"),
        };
        let mut n = 1;
        while self.names.contains(&name(n)) {
            n += 1;
        }
        let path = name(n);
        self.names.insert(path.clone());
        self.by_asset.insert(index, path.clone());
        self.files
            .insert(path.clone(), (asset.bytes.clone(), alt.to_string()));
        Some(path)
    }
}
