//! Tables: column widths from their content (each column's natural width when the table fits
//! the measure, else its widest word plus a share of the rest), cells wrapped and aligned as
//! the Markdown says, rows kept whole, and the head row repeated at the top of a new page.

use super::fonts::{BOLD, REGULAR};
use super::frame::{LineRole, Rect};
use super::inline;
use super::page::{Frame, ListBuilder};
use super::para::SetLine;
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

impl ListBuilder<'_, '_> {
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
        let pieces_of = |b: &Self, r: usize, cell: &[Inline], links: &mut Vec<LinkTarget>| {
            let face = if r == 0 { BOLD } else { REGULAR };
            inline::pieces(cell, b.style(face, frame.size), frame.chapter, links)
        };
        let mut needs = vec![(0.0_f32, 0.0_f32); cols];
        for (r, row) in all.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let p = pieces_of(self, r, cell, &mut Vec::new());
                let (lo, hi) = self.setter.widths(&p, span);
                needs[c].0 = needs[c].0.max(lo);
                needs[c].1 = needs[c].1.max(hi);
            }
        }
        let room = frame.width - gap * (cols as f32 - 1.0);
        let widths = column_widths(&needs, room);
        let mut xs = Vec::with_capacity(cols);
        let mut x = 0.0;
        for w in &widths {
            xs.push(x);
            x += w + gap;
        }
        let table_width = x - gap;
        let leading = self.leading(frame);
        let id = self.list.table_heads.len();
        self.list.table_heads.push(Vec::new());
        for (r, row) in all.iter().enumerate() {
            if row.is_empty() {
                continue;
            }
            let mut links = Vec::new();
            let mut cells: Vec<Vec<SetLine>> = Vec::new();
            for (c, cell) in row.iter().enumerate() {
                let p = pieces_of(self, r, cell, &mut links);
                cells.push(self.setter.set(&p, widths[c], false, span));
            }
            let height = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
            let mut merged = Vec::new();
            for k in 0..height {
                let mut line = SetLine {
                    size: frame.size,
                    ..SetLine::default()
                };
                for (c, cell) in cells.iter().enumerate() {
                    let Some(l) = cell.get(k) else { continue };
                    let slack = widths[c] - l.width;
                    let shift = match align.get(c) {
                        Some(Align::Right) => slack,
                        Some(Align::Center) => slack / 2.0,
                        _ => 0.0,
                    };
                    let dx = xs[c] + shift.max(0.0);
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
                if k + 1 == height && r == 0 {
                    // A rule under the head row.
                    line.fills.push((
                        Rect {
                            x: 0.0,
                            y: frame.size * 0.4,
                            w: table_width,
                            h: 0.5,
                        },
                        GRAY,
                    ));
                }
                merged.push(line);
            }
            self.scope.table = Some((id, r == 0));
            let before = self.list.entries.len();
            // A row stays whole: the page may break only after its last line.
            self.push_lines(merged, &links, frame.x, leading, LineRole::Body, true);
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
        self.scope.keep_next = false;
        self.space(self.para_gap(frame));
    }
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
