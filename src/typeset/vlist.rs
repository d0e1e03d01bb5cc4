//! The vertical list: what the page builder makes of the book and the paginator cuts into
//! pages. Set lines and spaces in reading order, with what each line carries (anchors, the
//! footnotes it calls, the running head it starts, the decorations it is part of) and where a
//! page may end.

use super::frame::{ImageRef, LineRole, Rect, Rgb};
use super::para::SetLine;
use crate::ir::LinkTarget;

/// The gray of rules and of the side bar of admonitions.
pub(super) const GRAY: Rgb = Rgb(0x55, 0x55, 0x55);

/// One entry of the vertical list.
#[allow(clippy::large_enum_variant)] // Nearly every entry is a line: boxing them would only add allocations.
pub(super) enum V {
    /// A set line, or a figure.
    Line(VLine),
    /// Vertical space, dropped at the top of a page.
    Space(f32),
    /// A forced page break.
    NewPage,
    /// A new page that starts the body's Arabic numbering, on a right-hand page.
    Restart,
    /// Something the page this falls on must not carry.
    Flag(Flag),
}

/// What a page must not carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flag {
    /// No running head.
    NoHead,
    /// No folio.
    NoFolio,
}

/// A set line (or a figure) in the vertical list.
#[derive(Clone)]
pub(super) struct VLine {
    /// Height of the line box; the baseline sits `baseline` below its top.
    pub height: f32,
    /// Distance from the top of the line box to the baseline.
    pub baseline: f32,
    /// Left edge of the line within the text area.
    pub x: f32,
    /// What the line draws.
    pub set: SetLine,
    /// The targets the set line's link areas point at.
    pub links: Vec<LinkTarget>,
    /// May a page end after this line?
    pub break_after: bool,
    /// What the line is.
    pub role: LineRole,
    /// The paragraph (or code block, figure, table row) the line belongs to: its number, the
    /// line's place in it and how many lines it has.
    pub block: usize,
    /// The line's number in its block, from 1.
    pub index: usize,
    /// How many lines its block has.
    pub of: usize,
    /// The decorations (indices into [`VList::groups`]) the line is part of.
    pub groups: Vec<usize>,
    /// Anchors that land on the line.
    pub anchors: Vec<String>,
    /// The running head that starts with this line (an index into the marks).
    pub mark: Option<usize>,
    /// Footnotes called on this line (indices into the notes).
    pub notes: Vec<usize>,
    /// A table row's line: the table (index into the table heads) and whether it is the head.
    pub table: Option<(usize, bool)>,
    /// A figure's image, relative to the line's start and baseline.
    pub image: Option<(Rect, ImageRef)>,
}

impl VLine {
    /// A line `height` high with its baseline `baseline` below its top, at `x` in the text
    /// area: line 1 of 1 of its block, a page may not end after it, it carries nothing.
    pub(super) fn new(height: f32, baseline: f32, x: f32, set: SetLine, role: LineRole) -> Self {
        VLine {
            height,
            baseline,
            x,
            set,
            links: Vec::new(),
            break_after: false,
            role,
            block: 0,
            index: 1,
            of: 1,
            groups: Vec::new(),
            anchors: Vec::new(),
            mark: None,
            notes: Vec::new(),
            table: None,
            image: None,
        }
    }
}

/// A decoration spanning several lines, drawn per page: a code background or a quote bar.
pub(super) struct Group {
    /// Left edge, in the text area.
    pub x: f32,
    /// Width.
    pub w: f32,
    /// Colour.
    pub color: Rgb,
    /// How far it reaches above the first line and below the last.
    pub pad: f32,
}

/// What a running head can show: a part's title (left-hand pages; it also ends the chapter
/// before) or a chapter's (right-hand pages).
pub(super) struct Mark {
    /// The title.
    pub text: String,
    /// A part (or a matter page such as the contents), not a chapter.
    pub part: bool,
}

/// The whole book as one vertical list, and what its lines point into.
#[derive(Default)]
pub(super) struct VList {
    /// The entries, in reading order.
    pub entries: Vec<V>,
    /// Decorations; lines point at them.
    pub groups: Vec<Group>,
    /// Running-head texts; lines point at them.
    pub marks: Vec<Mark>,
    /// Each footnote's lines (and spaces), set once at its first call.
    pub notes: Vec<Vec<V>>,
    /// The head lines of each table, repeated when the table crosses a page.
    pub table_heads: Vec<Vec<VLine>>,
}

/// The height an entry takes on a page (a space at the top of a page aside).
pub(super) fn height(v: &V) -> f32 {
    match v {
        V::Line(l) => l.height,
        V::Space(s) => *s,
        _ => 0.0,
    }
}
