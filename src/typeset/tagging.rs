//! The page builder's structure tree: the nodes blocks open as they are set, and the tags of
//! the lines they push (a line's text takes the innermost open node; a link's text, a node of
//! its own under it).

use super::page::ListBuilder;
use super::para::SetLine;
use super::structure::{NodeId, Role, Tag};
use crate::ir::Span;

impl ListBuilder<'_, '_> {
    /// Opens a node under the innermost open one: the lines pushed until [`Self::close`] are
    /// its content (or its children's).
    pub(super) fn open(&mut self, role: Role, span: Span) -> NodeId {
        let id = self.node(role, span);
        self.open_nodes.push(id);
        id
    }

    /// Closes the node opened last.
    pub(super) fn close(&mut self) {
        self.open_nodes.pop();
    }

    /// A node under the innermost open one, not opened: its content is tagged by hand.
    pub(super) fn node(&mut self, role: Role, span: Span) -> NodeId {
        let parent = self.open_nodes.last().copied();
        self.list.structure.push(role, parent, span)
    }

    /// The innermost open container (where a footnote goes: beside the paragraph calling it).
    pub(super) fn open_container(&self) -> Option<NodeId> {
        let nodes = &self.list.structure.nodes;
        self.open_nodes
            .iter()
            .rev()
            .copied()
            .find(|&n| nodes.get(n as usize).is_some_and(|x| x.role.is_container()))
    }

    /// Tags `lines` as `owner`'s content: untagged text becomes `owner`'s, link `i`'s text and
    /// areas its link node's (`links[i]`, made under `owner` when first met; a link owner is
    /// its own links' node).
    pub(super) fn tag_lines(&mut self, lines: &mut [SetLine], owner: NodeId, links: &mut [Tag]) {
        let owner_is_link = self
            .list
            .structure
            .get(owner)
            .is_some_and(|n| n.role == Role::Link);
        let span = self
            .list
            .structure
            .get(owner)
            .map(|n| n.span)
            .unwrap_or_default();
        let mut link = |i: u16, b: &mut Self| -> Tag {
            let Some(t) = links.get_mut(usize::from(i)) else {
                return Tag::Node(owner);
            };
            if *t == Tag::Inherit {
                *t = Tag::Node(match owner_is_link {
                    true => owner,
                    false => b.list.structure.push(Role::Link, Some(owner), span),
                });
            }
            *t
        };
        for line in lines.iter_mut() {
            for run in &mut line.runs {
                run.tag = match run.tag {
                    Tag::Inherit => Tag::Node(owner),
                    Tag::Link(i) => link(i, self),
                    t => t,
                };
            }
            for &(_, i) in &line.links {
                link(i, self);
            }
        }
    }
}
