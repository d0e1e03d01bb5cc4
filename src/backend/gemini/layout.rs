//! Where every page lives in the capsule: one directory per part (named after the part's
//! source directory when it has one, e.g. `day-1/`), one `.gmi` page per chapter named after
//! its source file, the first front-matter chapter as `about.gmi`, all with ASCII slug names.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use crate::ir::{Book, Chapter, Division, Matter};
use crate::slug::{slugify, UniqueNames};

/// Root pages the capsule writes itself; chapters never take these names.
const RESERVED_ROOT: [&str; 3] = ["index.gmi", "speakers.gmi", "about.gmi"];

pub(crate) struct Layout {
    /// Chapter id → capsule path of its page.
    pages: HashMap<String, String>,
    /// Part index → its directory (`""` for the capsule root).
    part_dirs: Vec<String>,
    /// The chapter whose page is `about.gmi`, when the book has front matter.
    pub about: Option<String>,
}

impl Layout {
    pub(crate) fn new(book: &Book) -> Layout {
        let mut used = UniqueNames::default();
        for name in RESERVED_ROOT {
            used.insert(name);
        }
        let mut pages = HashMap::new();
        let about = book.front.first().map(|c| c.id.clone());
        let mut dirs: Option<Vec<String>> = None;
        for d in book.divisions() {
            // Front pages choose their names before the part directories do.
            if d.matter != Matter::Front && dirs.is_none() {
                dirs = Some(part_dirs(book, &mut used));
            }
            let dir = d
                .part
                .and_then(|(i, _)| dirs.as_ref()?.get(i).cloned())
                .unwrap_or_default();
            if !dir.is_empty() {
                used.insert(&format!("{dir}/index.gmi"));
            }
            // The about page's chapter gets its fixed name; its children are laid out as usual.
            for r in d.walk().filter(|r| about.as_ref() != Some(&r.chapter.id)) {
                let path = page_path(&dir, &file_stem(r.chapter), &mut used);
                pages.insert(r.chapter.id.clone(), path);
            }
        }
        if let Some(id) = &about {
            pages.insert(id.clone(), "about.gmi".to_string());
        }
        Layout {
            pages,
            part_dirs: dirs.unwrap_or_default(),
            about,
        }
    }

    /// The capsule path of a chapter's page.
    pub(crate) fn page(&self, chapter_id: &str) -> Option<&str> {
        self.pages.get(chapter_id).map(String::as_str)
    }

    /// The directory of part `index` (`""` when its pages sit at the root).
    pub(crate) fn part_dir(&self, index: usize) -> &str {
        self.part_dirs.get(index).map(String::as_str).unwrap_or("")
    }

    /// The index page of part `index`, or the capsule index for a root part.
    pub(crate) fn part_index(&self, index: usize) -> String {
        match self.part_dir(index) {
            "" => "index.gmi".to_string(),
            d => format!("{d}/index.gmi"),
        }
    }
}

/// The slug of a chapter's source file name, falling back to its id.
fn file_stem(c: &Chapter) -> String {
    let stem = Path::new(&c.source)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    [slugify(stem), c.id.clone()]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| "page".to_string())
}

/// `dir/stem.gmi`, or `dir/stem-2.gmi`… when taken.
fn page_path(dir: &str, stem: &str, used: &mut UniqueNames) -> String {
    match dir {
        "" => used.unique_with_suffix(stem, ".gmi"),
        d => used.unique_with_suffix(&format!("{d}/{stem}"), ".gmi"),
    }
}

/// A directory per part: the slug of the source directory all its chapters share (unless
/// another part claims it too), else the part id. A book whose only part is untitled and has
/// no directory of its own keeps its pages at the root.
fn part_dirs(book: &Book, used: &mut UniqueNames) -> Vec<String> {
    let parts: Vec<Division> = book.divisions().filter(|d| d.part.is_some()).collect();
    let common: Vec<Option<String>> = parts.iter().map(|d| common_dir(*d)).collect();
    let mut taken = UniqueNames::default();
    taken.insert("images");
    // An empty part id is no directory name: it takes a number like a taken one.
    taken.insert("");
    let mut dirs = Vec::new();
    for (i, (_, p)) in parts.iter().filter_map(|d| d.part).enumerate() {
        let shared = common
            .iter()
            .enumerate()
            .any(|(j, d)| j != i && d.is_some() && *d == common[i]);
        let dir = match &common[i] {
            Some(d) if !shared && !taken.contains(d) => {
                taken.insert(d);
                d.clone()
            }
            _ if parts.len() == 1 && p.title.is_empty() => String::new(),
            _ => taken.unique(&p.id),
        };
        if !dir.is_empty() {
            // Root pages must not shadow a part directory's name.
            used.insert(&format!("{dir}.gmi"));
        }
        dirs.push(dir);
    }
    dirs
}

/// The slugged source directory shared by every chapter of a part, if any.
fn common_dir(part: Division) -> Option<String> {
    let mut dirs = BTreeSet::new();
    for r in part.walk() {
        let parent = Path::new(&r.chapter.source)
            .parent()
            .and_then(|d| d.to_str())
            .unwrap_or("");
        let slug: Vec<String> = parent
            .split('/')
            .map(slugify)
            .filter(|s| !s.is_empty())
            .collect();
        dirs.insert(slug.join("/"));
    }
    match dirs.len() {
        1 => dirs.into_iter().next().filter(|d| !d.is_empty()),
        _ => None,
    }
}

/// A relative URL from the page at `from` to the capsule path `to`.
pub(super) fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let (to_dirs, file) = to_parts.split_at(to_parts.len().saturating_sub(1));
    let common = from_dirs
        .iter()
        .zip(to_dirs)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from_dirs.len() - common);
    for d in &to_dirs[common..] {
        out.push_str(d);
        out.push('/');
    }
    out.push_str(file.first().copied().unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls() {
        assert_eq!(relative("index.gmi", "day-1/a.gmi"), "day-1/a.gmi");
        assert_eq!(relative("day-1/a.gmi", "day-1/b.gmi"), "b.gmi");
        assert_eq!(relative("day-1/a.gmi", "day-2/b.gmi"), "../day-2/b.gmi");
        assert_eq!(relative("day-1/a.gmi", "index.gmi"), "../index.gmi");
        assert_eq!(relative("a/b/c.gmi", "a/images/x.png"), "../images/x.png");
        assert_eq!(relative("about.gmi", "about.gmi"), "about.gmi");
    }

    #[test]
    fn unique_names_avoid_reserved_and_taken_paths() {
        let mut used = UniqueNames::default();
        for name in RESERVED_ROOT {
            used.insert(name);
        }
        assert_eq!(page_path("", "index", &mut used), "index-2.gmi");
        assert_eq!(page_path("", "talk", &mut used), "talk.gmi");
        assert_eq!(page_path("", "talk", &mut used), "talk-2.gmi");
        assert_eq!(page_path("day-1", "talk", &mut used), "day-1/talk.gmi");
    }
}
