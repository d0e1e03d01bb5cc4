//! Where every page lives in the capsule: one directory per part (named after the part's
//! source directory when it has one, e.g. `day-1/`), one `.gmi` page per chapter named after
//! its source file, the first front-matter chapter as `about.gmi`, all with ASCII slug names.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use crate::ir::{Book, Chapter, Part};
use crate::slug::slugify;

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
        let mut used: BTreeSet<String> = RESERVED_ROOT.iter().map(|s| s.to_string()).collect();
        let mut pages = HashMap::new();
        let about = book.front.first().map(|c| c.id.clone());
        let mut put = |c: &Chapter, dir: &str, used: &mut BTreeSet<String>| {
            let path = unique(dir, &file_stem(c), used);
            pages.insert(c.id.clone(), path);
        };
        for (i, c) in book.front.iter().enumerate() {
            if i == 0 {
                pages_insert_about(c, &mut |ch| put(ch, "", &mut used));
            } else {
                walk(c, &mut |ch| put(ch, "", &mut used));
            }
        }
        let part_dirs = part_dirs(book, &mut used);
        for (p, dir) in book.parts.iter().zip(&part_dirs) {
            if !dir.is_empty() {
                used.insert(format!("{dir}/index.gmi"));
            }
            for c in &p.chapters {
                walk(c, &mut |ch| put(ch, dir, &mut used));
            }
        }
        for c in &book.back {
            walk(c, &mut |ch| put(ch, "", &mut used));
        }
        if let Some(id) = &about {
            pages.insert(id.clone(), "about.gmi".to_string());
        }
        Layout {
            pages,
            part_dirs,
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

/// The about page's chapter gets its fixed name; its children are laid out as usual.
fn pages_insert_about(c: &Chapter, put: &mut dyn FnMut(&Chapter)) {
    for child in &c.children {
        walk(child, put);
    }
}

fn walk(c: &Chapter, f: &mut dyn FnMut(&Chapter)) {
    f(c);
    for child in &c.children {
        walk(child, f);
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
fn unique(dir: &str, stem: &str, used: &mut BTreeSet<String>) -> String {
    let join = |name: String| match dir {
        "" => name,
        d => format!("{d}/{name}"),
    };
    let mut path = join(format!("{stem}.gmi"));
    let mut n = 2;
    while used.contains(&path) {
        path = join(format!("{stem}-{n}.gmi"));
        n += 1;
    }
    used.insert(path.clone());
    path
}

/// A directory per part: the slug of the source directory all its chapters share (unless
/// another part claims it too), else the part id. A book whose only part is untitled and has
/// no directory of its own keeps its pages at the root.
fn part_dirs(book: &Book, used: &mut BTreeSet<String>) -> Vec<String> {
    let common: Vec<Option<String>> = book.parts.iter().map(common_dir).collect();
    let mut taken: BTreeSet<String> = ["images".to_string()].into();
    let mut dirs = Vec::new();
    for (i, p) in book.parts.iter().enumerate() {
        let shared = common
            .iter()
            .enumerate()
            .any(|(j, d)| j != i && d.is_some() && *d == common[i]);
        let dir = match &common[i] {
            Some(d) if !shared && !taken.contains(d) => d.clone(),
            _ if book.parts.len() == 1 && p.title.is_empty() => String::new(),
            _ => {
                let mut d = p.id.clone();
                let mut n = 2;
                while taken.contains(&d) || d.is_empty() {
                    d = format!("{}-{n}", p.id);
                    n += 1;
                }
                d
            }
        };
        if !dir.is_empty() {
            taken.insert(dir.clone());
            // Root pages must not shadow a part directory's name.
            used.insert(format!("{dir}.gmi"));
        }
        dirs.push(dir);
    }
    dirs
}

/// The slugged source directory shared by every chapter of `p`, if any.
fn common_dir(p: &Part) -> Option<String> {
    let mut dirs = BTreeSet::new();
    for c in &p.chapters {
        walk(c, &mut |ch| {
            let parent = Path::new(&ch.source)
                .parent()
                .and_then(|d| d.to_str())
                .unwrap_or("");
            let slug: Vec<String> = parent
                .split('/')
                .map(slugify)
                .filter(|s| !s.is_empty())
                .collect();
            dirs.insert(slug.join("/"));
        });
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
        let mut used: BTreeSet<String> = RESERVED_ROOT.iter().map(|s| s.to_string()).collect();
        assert_eq!(unique("", "index", &mut used), "index-2.gmi");
        assert_eq!(unique("", "talk", &mut used), "talk.gmi");
        assert_eq!(unique("", "talk", &mut used), "talk-2.gmi");
        assert_eq!(unique("day-1", "talk", &mut used), "day-1/talk.gmi");
    }
}
