//! Where things are, for links and the outline: every anchor layout placed, and the outline
//! nested days → posts → talks → headings, opening where each starts.

use std::collections::HashMap;

use krilla::destination::XyzDestination;
use krilla::geom::Point;
use krilla::outline::{Outline, OutlineNode};

use crate::ir::{plain_text, BlockKind, Book, Chapter, LinkTarget, Matter};
use crate::typeset::matter::{CONTENTS, SPEAKERS};

/// Anchor id → (page index, y of the top of its line).
pub(super) struct Anchors(HashMap<String, (usize, f32)>);

impl Anchors {
    /// Anchors at `places`: id → (page index, y of the top of its line).
    pub(super) fn new(places: HashMap<String, (usize, f32)>) -> Anchors {
        Anchors(places)
    }

    /// A destination a little above the anchored line, so its first line shows whole.
    pub(super) fn dest(&self, id: &str) -> Option<XyzDestination> {
        let &(page, y) = self.0.get(id)?;
        Some(XyzDestination::new(
            page,
            Point::from_xy(0.0, (y - 6.0).max(0.0)),
        ))
    }

    /// Where an internal link goes: its anchor, else the top of its chapter.
    pub(super) fn target(&self, target: &LinkTarget) -> Option<XyzDestination> {
        match target {
            LinkTarget::Internal { chapter, anchor } => anchor
                .as_ref()
                .and_then(|a| self.dest(&format!("{chapter}#{a}")))
                .or_else(|| self.dest(chapter)),
            LinkTarget::External { .. } => None,
        }
    }
}

fn node(anchors: &Anchors, title: &str, id: &str) -> Option<OutlineNode> {
    Some(OutlineNode::new(title.to_string(), anchors.dest(id)?))
}

/// A chapter's node: its sub-chapters, and a talk's own headings (levels 1 and 2).
fn chapter_node(anchors: &Anchors, c: &Chapter) -> Option<OutlineNode> {
    let mut n = node(anchors, &c.contents_title(), &c.id)?;
    for child in &c.children {
        if let Some(x) = chapter_node(anchors, child) {
            n.push_child(x);
        }
    }
    if c.is_talk() || c.children.is_empty() {
        for b in c.blocks.iter().chain(&c.closing) {
            if let BlockKind::Heading {
                level, id, content, ..
            } = &b.kind
            {
                if *level <= 2 {
                    let title = plain_text(content);
                    if let Some(x) = node(anchors, title.trim(), &format!("{}#{id}", c.id)) {
                        n.push_child(x);
                    }
                }
            }
        }
    }
    Some(n)
}

pub(super) fn outline(book: &Book, anchors: &Anchors) -> Outline {
    let mut out = Outline::new();
    let mut push = |n: Option<OutlineNode>| {
        if let Some(n) = n {
            out.push_child(n);
        }
    };
    for d in book.divisions() {
        match d.part {
            Some((_, p)) => {
                let mut n = node(anchors, &p.title, &p.id);
                if let Some(n) = n.as_mut() {
                    for x in d.chapters.iter().filter_map(|c| chapter_node(anchors, c)) {
                        n.push_child(x);
                    }
                }
                push(n);
            }
            None => d
                .chapters
                .iter()
                .for_each(|c| push(chapter_node(anchors, c))),
        }
        // The contents page follows the front chapters.
        if d.matter == Matter::Front {
            push(node(anchors, "Contents", CONTENTS));
        }
    }
    push(node(anchors, "Index of speakers", SPEAKERS));
    out
}
