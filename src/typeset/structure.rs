//! The book's logical structure as layout builds it, for tagged output: a tree of nodes in
//! reading order (parts, chapters, headings, paragraphs, lists, tables, figures, notes, links)
//! and, on every drawn item, the node it belongs to or the kind of artifact it is. Nothing
//! here is PDF: a writer maps the roles to its own tags.

use crate::ir::Span;

/// A node's index in [`Structure::nodes`].
pub(crate) type NodeId = u32;

/// What a structure node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A part of the book (a day).
    Part,
    /// A chapter (a post, a talk, a front or back matter page).
    Section,
    /// A heading of level 1 to 6.
    Heading(u8),
    /// A paragraph (or a line of the title page, a speaker's name).
    Paragraph,
    /// A list.
    List(ListStyle),
    /// An item of a list.
    ListItem,
    /// A list item's marker, or a footnote's number.
    Label,
    /// A list item's content.
    ListBody,
    /// A table.
    Table,
    /// A table row.
    TableRow,
    /// A head cell, heading its column.
    TableHeader,
    /// A data cell.
    TableCell,
    /// A picture; its alternative text is the node's `alt`.
    Figure,
    /// A figure's caption.
    Caption,
    /// A footnote.
    Note,
    /// A code block.
    Code,
    /// A link: its text and its clickable areas.
    Link,
    /// A block quote.
    BlockQuote,
    /// An admonition or another generic block.
    Division,
    /// The table of contents.
    Contents,
    /// An entry of the table of contents.
    ContentsItem,
    /// The index of speakers.
    Index,
}

impl Role {
    /// A container's children come in the order layout made them; the others hold content
    /// (text, pictures) and take their inner nodes (links) where their content shows them.
    pub fn is_container(self) -> bool {
        matches!(
            self,
            Role::Part
                | Role::Section
                | Role::List(_)
                | Role::ListItem
                | Role::ListBody
                | Role::Table
                | Role::TableRow
                | Role::Note
                | Role::BlockQuote
                | Role::Division
                | Role::Contents
                | Role::ContentsItem
                | Role::Index
        )
    }
}

/// How a list numbers its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStyle {
    /// Bullets.
    Bullet,
    /// Decimal numbers.
    Numbered,
    /// No numbering (task lists, definition lists).
    Plain,
}

/// One node of the structure tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What it is.
    pub role: Role,
    /// Its parent; `None` for the top level (under the document).
    pub parent: Option<NodeId>,
    /// Where in the sources it comes from (for a chapter, the chapter's own span).
    pub span: Span,
    /// A figure's alternative text.
    pub alt: Option<Box<str>>,
    /// The language of its text, when it is not the book's (BCP 47).
    pub lang: Option<Box<str>>,
}

/// The structure tree: nodes in the order layout made them, which is reading order (a
/// parent before its children).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Structure {
    /// The nodes; a [`NodeId`] indexes them.
    pub nodes: Vec<Node>,
}

impl Structure {
    /// Adds a node; returns its id.
    pub fn push(&mut self, role: Role, parent: Option<NodeId>, span: Span) -> NodeId {
        let id = NodeId::try_from(self.nodes.len()).unwrap_or(NodeId::MAX);
        self.nodes.push(Node {
            role,
            parent,
            span,
            alt: None,
            lang: None,
        });
        id
    }

    /// The node `id`, if there is one.
    pub fn get(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id as usize)
    }
}

/// What a drawn item is in the structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tag {
    /// Not decided yet: a set line's text takes the node of the block it is pushed in.
    #[default]
    Inherit,
    /// The text of link `n` of its line (resolved to a link node when the line is pushed).
    Link(u16),
    /// Content of a structure node.
    Node(NodeId),
    /// Not content: what pagination or decoration adds.
    Artifact(Artifact),
}

/// Kinds of artifacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Artifact {
    /// The running head.
    Header,
    /// The folio.
    PageNumber,
    /// What repeats content for the reader's convenience: a table's head on a new page.
    Repeated,
    /// Decoration: a picture without alternative text.
    Decoration,
    /// A code line's number in the gutter of a listing.
    LineNumber,
}
