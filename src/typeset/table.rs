//! Tables: column widths from their content (each column's natural width when the table fits
//! the measure, else its widest word plus a share of the rest), cells wrapped and aligned as
//! the Markdown says, rows kept whole, and the head row repeated at the top of a new page.

use super::fonts::{BOLD, REGULAR};
use super::frame::{LineRole, Rect};
use super::inline;
use super::page::{Frame, ListBuilder};
use super::para::{Piece, SetLine};
use super::structure::{Role, Tag};
use super::vlist::{GRAY, V};
use crate::ir::{Align, Inline, LinkTarget, Span};

/// Column widths that fill at most `room`: natural widths when they fit, else each column's
/// minimum plus a share of the space left in proportion to what it would like more.
pub(super) fn column_widths(needs: &[(f32, f32)], room: f32) -> Vec<f32> {
    let natural: f32 = needs.iter().map(|n| n.1).sum();
    if natural <= room {
        return needs.iter().map(|n| n.1).collect();
    }
    let min: f32 = needs.iter().map(|n| n.0).sum();
    if min >= room {
        return needs.iter().map(|n| n.0 * room / min.max(1.0)).collect();
    }
    let want = (natural - min).max(1e-3);
    needs
        .iter()
        .map(|&(lo, hi)| lo + (hi - lo) * (room - min) / want)
        .collect()
}

/// Where a table's columns are: their widths, their left edges, and the table's width.
struct Columns {
    widths: Vec<f32>,
    xs: Vec<f32>,
    width: f32,
}

impl Columns {
    /// Columns of `widths` with `gap` between them.
    fn new(widths: Vec<f32>, gap: f32) -> Columns {
        let mut xs = Vec::with_capacity(widths.len());
        let mut x = 0.0;
        for w in &widths {
            xs.push(x);
            x += w + gap;
        }
        Columns {
            widths,
            xs,
            width: x - gap,
        }
    }
}

impl ListBuilder<'_, '_> {
    /// A table: its rows (the head row first) kept whole, the head repeated on each page the
    /// table goes on to.
    pub(super) fn table(
        &mut self,
        align: &[Align],
        head: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
        frame: Frame,
        span: Span,
    ) {
        let cols = head
            .len()
            .max(rows.iter().map(Vec::len).max().unwrap_or(0))
            .max(1);
        let gap = frame.size;
        let all: Vec<&[Vec<Inline>]> = std::iter::once(head)
            .chain(rows.iter().map(Vec::as_slice))
            .collect();
        let mut needs = vec![(0.0_f32, 0.0_f32); cols];
        for (r, row) in all.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let p = self.cell_pieces(r, cell, frame, &mut Vec::new());
                let (lo, hi) = self.setter.widths(&p, span);
                needs[c].0 = needs[c].0.max(lo);
                needs[c].1 = needs[c].1.max(hi);
            }
        }
        let room = frame.width - gap * (cols as f32 - 1.0);
        let columns = Columns::new(column_widths(&needs, room), gap);
        let leading = self.leading(frame);
        let id = self.list.table_heads.len();
        self.list.table_heads.push(Vec::new());
        self.open(Role::Table, span);
        for (r, row) in all.iter().enumerate() {
            if row.is_empty() {
                continue;
            }
            self.open(Role::TableRow, span);
            let mut links = Vec::new();
            let mut tags = Vec::new();
            let mut cells: Vec<Vec<SetLine>> = Vec::new();
            for (c, cell) in row.iter().enumerate() {
                let p = self.cell_pieces(r, cell, frame, &mut links);
                let mut lines = self.setter.set(&p, columns.widths[c], false, span);
                let role = if r == 0 {
                    Role::TableHeader
                } else {
                    Role::TableCell
                };
                let node = self.node(role, span);
                tags.resize(links.len(), Tag::Inherit);
                self.tag_lines(&mut lines, node, &mut tags);
                cells.push(lines);
            }
            let merged = merge_row(&cells, &columns, align, r == 0, frame.size);
            self.link_tags = tags;
            self.push_row(id, r, merged, &links, frame.x, leading);
            self.close();
        }
        self.close();
        self.scope.keep_next = false;
        self.space(self.para_gap(frame));
    }

    /// The pieces of a cell of row `r` (the head row, 0, is bold).
    fn cell_pieces(
        &self,
        r: usize,
        cell: &[Inline],
        frame: Frame,
        links: &mut Vec<LinkTarget>,
    ) -> Vec<Piece> {
        let face = if r == 0 { BOLD } else { REGULAR };
        inline::pieces(cell, self.style(face, frame.size), frame.chapter, links)
    }

    /// Pushes the lines of row `r` of table `id`, kept whole (the head row kept with the next);
    /// the head row's lines are kept to be repeated.
    fn push_row(
        &mut self,
        id: usize,
        r: usize,
        merged: Vec<SetLine>,
        links: &[LinkTarget],
        x: f32,
        leading: f32,
    ) {
        self.scope.table = Some((id, r == 0));
        let before = self.list.entries.len();
        // A row stays whole: the page may break only after its last line.
        self.push_lines(merged, links, x, leading, LineRole::Body, true);
        self.scope.keep_next = r == 0;
        self.scope.table = None;
        if let Some(V::Line(last)) = self.list.entries.last_mut() {
            last.break_after = r > 0;
        }
        if r == 0 {
            let head_lines: Vec<_> = self.list.entries[before..]
                .iter()
                .filter_map(|v| match v {
                    V::Line(l) => Some(l.clone()),
                    _ => None,
                })
                .collect();
            self.list.table_heads[id] = head_lines;
        }
    }
}

/// The lines of a row: line k of each cell side by side, each aligned in its column; a rule
/// under the head row.
fn merge_row(
    cells: &[Vec<SetLine>],
    columns: &Columns,
    align: &[Align],
    head: bool,
    size: f32,
) -> Vec<SetLine> {
    let height = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let mut merged = Vec::new();
    for k in 0..height {
        let mut line = SetLine {
            size,
            ..SetLine::default()
        };
        for (c, cell) in cells.iter().enumerate() {
            let Some(l) = cell.get(k) else { continue };
            let slack = columns.widths[c] - l.width;
            let shift = match align.get(c) {
                Some(Align::Right) => slack,
                Some(Align::Center) => slack / 2.0,
                _ => 0.0,
            };
            let dx = columns.xs[c] + shift.max(0.0);
            for run in &l.runs {
                let mut run = run.clone();
                run.x += dx;
                line.runs.push(run);
            }
            for (rect, i) in &l.links {
                line.links.push((
                    Rect {
                        x: rect.x + dx,
                        ..*rect
                    },
                    *i,
                ));
            }
            line.width = line.width.max(dx + l.width);
        }
        if k + 1 == height && head {
            // A rule under the head row.
            line.fills.push((
                Rect {
                    x: 0.0,
                    y: size * 0.4,
                    w: columns.width,
                    h: 0.5,
                },
                GRAY,
            ));
        }
        merged.push(line);
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::column_widths;

    #[test]
    fn narrow_tables_keep_natural_widths_and_wide_ones_share_the_rest() {
        assert_eq!(
            column_widths(&[(10.0, 30.0), (5.0, 20.0)], 100.0),
            [30.0, 20.0]
        );
        let w = column_widths(&[(10.0, 110.0), (10.0, 10.0)], 70.0);
        assert!(
            (w[0] - 60.0).abs() < 1e-3 && (w[1] - 10.0).abs() < 1e-3,
            "{w:?}"
        );
        let w = column_widths(&[(60.0, 100.0), (60.0, 100.0)], 60.0);
        assert!((w[0] - 30.0).abs() < 1e-3, "{w:?}");
    }
}
