//! The structure tree in PDF terms: layout's roles become krilla tags, the content drawn for a
//! node (its marked-content sequences, its link annotations) becomes the node's leaves.
//!
//! A container (a part, a chapter, a list…) lists its children in the order layout made
//! them, which is reading order. A node that holds content (a paragraph, a cell, a heading)
//! lists its leaves as the pages show them, with its inner links where their text comes: so
//! a link sits inside its paragraph between the words around it.

use std::num::{NonZeroU16, NonZeroU64};

use krilla::surface::Location;
use krilla::tagging::{
    Identifier, ListNumbering, TableHeaderScope, Tag, TagGroup, TagKind, TagTree,
};

use crate::typeset::structure::{ListStyle, NodeId, Role, Structure};

/// A leaf of a content node, or an inner node where its content shows.
enum Entry {
    Leaf(Identifier),
    Child(NodeId),
}

/// Collects what is drawn for each node while the pages are written. The structure grows
/// while the pages are placed: each call gives it as built so far.
#[derive(Default)]
pub(super) struct Tagger {
    entries: Vec<Vec<Entry>>,
    /// Whether the node (or one below it) has content and so belongs in the tree.
    alive: Vec<bool>,
    /// The text of headings and links (a heading's title, a link's description).
    texts: Vec<Option<String>>,
}

/// The location krilla reports a problem of node `n`'s content at.
pub(super) fn location(n: NodeId) -> Option<Location> {
    NonZeroU64::new(u64::from(n) + 1)
}

/// The node a location stands for.
pub(super) fn node_of(location: Location) -> NodeId {
    NodeId::try_from(location.get() - 1).unwrap_or(NodeId::MAX)
}

impl Tagger {
    /// Room for every node of `structure`.
    fn grow(&mut self, structure: &Structure) {
        let n = structure.nodes.len();
        if self.entries.len() < n {
            self.entries.resize_with(n, Vec::new);
            self.alive.resize(n, false);
            self.texts.resize(n, None);
        }
    }

    /// Content `id` drawn for node `n` of `structure`, which shows `text`.
    pub(super) fn content(&mut self, structure: &Structure, n: NodeId, id: Identifier, text: &str) {
        self.grow(structure);
        let Some(entries) = self.entries.get_mut(n as usize) else {
            return;
        };
        entries.push(Entry::Leaf(id));
        self.add_text(structure, n, text);
        self.attach(structure, n);
    }

    /// More text shown by node `n` (a heading's title, a link's description).
    pub(super) fn add_text(&mut self, structure: &Structure, n: NodeId, text: &str) {
        if !matches!(
            structure.get(n).map(|x| x.role),
            Some(Role::Heading(_) | Role::Link)
        ) || text.is_empty()
        {
            return;
        }
        if let Some(slot) = self.texts.get_mut(n as usize) {
            let t = slot.get_or_insert_with(String::new);
            if !t.is_empty() && !t.ends_with(' ') {
                t.push(' ');
            }
            t.push_str(text.trim_end_matches('-').trim_end());
        }
    }

    /// The text node `n` showed so far.
    pub(super) fn text(&self, n: NodeId) -> Option<&str> {
        self.texts.get(n as usize)?.as_deref()
    }

    /// Marks `n` and its ancestors as in the tree; a content node takes an inner node where
    /// its first content shows.
    fn attach(&mut self, structure: &Structure, mut n: NodeId) {
        loop {
            let Some(alive) = self.alive.get_mut(n as usize) else {
                return;
            };
            if *alive {
                return;
            }
            *alive = true;
            let Some(parent) = structure.get(n).and_then(|x| x.parent) else {
                return;
            };
            if structure
                .get(parent)
                .is_some_and(|x| !x.role.is_container())
            {
                if let Some(e) = self.entries.get_mut(parent as usize) {
                    e.push(Entry::Child(n));
                }
            }
            n = parent;
        }
    }

    /// The tree of `structure` (the whole of it), in the book's language.
    pub(super) fn tree(mut self, structure: &Structure, lang: &str) -> TagTree {
        self.grow(structure);
        let n = structure.nodes.len();
        let mut kids: Vec<Vec<NodeId>> = (0..n).map(|_| Vec::new()).collect();
        let mut roots = Vec::new();
        for (i, node) in structure.nodes.iter().enumerate() {
            let Ok(id) = NodeId::try_from(i) else { break };
            if !self.alive[i] {
                continue;
            }
            match node.parent {
                Some(p) if structure.get(p).is_some_and(|x| x.role.is_container()) => {
                    if let Some(k) = kids.get_mut(p as usize) {
                        k.push(id);
                    }
                }
                Some(_) => {}
                None => roots.push(id),
            }
        }
        let mut tree = TagTree::new();
        if !lang.is_empty() {
            tree = tree.with_lang(Some(lang.to_string()));
        }
        for r in roots {
            if let Some(g) = self.group(structure, r, &mut kids) {
                tree.push(g);
            }
        }
        tree
    }

    /// Node `n` as a tag group, or `None` when nothing of it was drawn.
    fn group(
        &mut self,
        structure: &Structure,
        n: NodeId,
        kids: &mut [Vec<NodeId>],
    ) -> Option<TagGroup> {
        let mut g = TagGroup::new(self.kind(structure, n));
        let entries = std::mem::take(self.entries.get_mut(n as usize)?);
        let children = std::mem::take(kids.get_mut(n as usize)?);
        for e in entries {
            match e {
                Entry::Leaf(id) => g.push(id),
                Entry::Child(c) => {
                    if let Some(x) = self.group(structure, c, kids) {
                        g.push(x);
                    }
                }
            }
        }
        for c in children {
            if let Some(x) = self.group(structure, c, kids) {
                g.push(x);
            }
        }
        (!g.children.is_empty()).then_some(g)
    }

    /// The tag of node `n`.
    fn kind(&self, structure: &Structure, n: NodeId) -> TagKind {
        let Some(node) = structure.get(n) else {
            return Tag::P.into();
        };
        let kind: TagKind = match node.role {
            Role::Part => Tag::Part.into(),
            Role::Section => Tag::Section
                .with_lang(node.lang.as_deref().map(str::to_string))
                .into(),
            Role::Heading(level) => match (NonZeroU16::new(level.into()), self.text(n)) {
                (Some(l), Some(t)) if !t.trim().is_empty() => {
                    Tag::Hn(l, Some(t.trim().to_string())).into()
                }
                // A heading with no text is no heading.
                _ => Tag::P.into(),
            },
            Role::Paragraph => Tag::P.into(),
            Role::List(style) => Tag::L(match style {
                ListStyle::Bullet => ListNumbering::Disc,
                ListStyle::Numbered => ListNumbering::Decimal,
                ListStyle::Plain => ListNumbering::None,
            })
            .into(),
            Role::ListItem => Tag::LI.into(),
            Role::Label => Tag::Lbl.into(),
            Role::ListBody => Tag::LBody.into(),
            Role::Table => Tag::Table.into(),
            Role::TableRow => Tag::TR.into(),
            Role::TableHeader => Tag::TH(TableHeaderScope::Column).into(),
            Role::TableCell => Tag::TD.into(),
            Role::Figure => Tag::Figure(node.alt.as_deref().map(str::to_string)).into(),
            Role::Caption => Tag::Caption.into(),
            Role::Note => Tag::Note.into(),
            Role::Code => Tag::Code.into(),
            Role::Link => Tag::Link.into(),
            Role::BlockQuote => Tag::BlockQuote.into(),
            Role::Division => Tag::Div.into(),
            Role::Contents => Tag::TOC.into(),
            Role::ContentsItem => Tag::TOCI.into(),
            Role::Index => Tag::Index.into(),
        };
        kind.with_location(location(n))
    }
}
