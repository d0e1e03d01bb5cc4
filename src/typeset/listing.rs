//! Listing furniture: a `<Listing>`'s file name above its code and its number and caption
//! below, kept with it; line numbers in a gutter left of the code; and where a listing may
//! cross a page (only between source lines, never leaving one line of it alone on either
//! side).

use super::fonts::{BOLD, REGULAR};
use super::frame::LineRole;
use super::inline;
use super::page::{Frame, ListBuilder};
use super::para::{Piece, SetLine, Style, MARK_GREY};
use super::structure::{Artifact, Role, Tag};
use super::vlist::V;
use crate::ir::{Block, BlockKind, Span};

/// Space between the line numbers and the code, in ems of the code.
const GUTTER_GAP: f32 = 1.0;

impl ListBuilder<'_, '_> {
    /// A `<Listing>`: "Filename: …" above its blocks (kept with them) and "Listing 1-1: …"
    /// below (kept with their last line), in one division; as The Rust Programming Language
    /// places them.
    pub(super) fn listing(&mut self, b: &Block, frame: Frame) {
        let BlockKind::Listing {
            number,
            file_name,
            caption,
            blocks,
        } = &b.kind
        else {
            return;
        };
        let size = frame.size * 0.9;
        let leading = self.leading(frame) * 0.9;
        self.open(Role::Division, b.span);
        if let Some(f) = file_name {
            let p = [
                Piece::Text("Filename: ".to_string(), self.style(REGULAR, size)),
                Piece::Text(f.clone(), inline::code_style(self.style(REGULAR, size))),
            ];
            let lines = self.setter.set(&p, frame.width, false, b.span);
            self.open(Role::Caption, b.span);
            self.push_lines(lines, &[], frame.x, leading, LineRole::Body, true);
            self.close();
            self.space(frame.size * 0.25);
        }
        self.blocks_in(blocks, frame);
        if number.is_some() || !caption.is_empty() {
            self.trim_space();
            // The caption stays with the listing's last line.
            if let Some(V::Line(l)) = self.list.entries.last_mut() {
                l.break_after = false;
            }
            // Clear of the code's background, which reaches 3 pt below its last line.
            self.space(3.0 + frame.size * 0.4);
            let mut links = Vec::new();
            let mut p = Vec::new();
            if let Some(n) = number {
                let label = match caption.is_empty() {
                    true => format!("Listing {n}"),
                    false => format!("Listing {n}: "),
                };
                p.push(Piece::Text(label, self.style(BOLD, size)));
            }
            let base = self.style(REGULAR, size);
            p.extend(inline::pieces(caption, base, frame.chapter, &mut links));
            let lines = self.setter.set(&p, frame.width, false, b.span);
            self.open(Role::Caption, b.span);
            self.push_lines(lines, &links, frame.x, leading, LineRole::Body, false);
            self.close();
            self.space(self.para_gap(frame));
        }
        self.close();
    }

    /// The width of the gutter that numbers `count` code lines set in `style`: the widest
    /// number and a gap.
    pub(super) fn gutter(&mut self, count: usize, style: Style, span: Span) -> f32 {
        let widest = "0".repeat(count.max(1).to_string().len());
        let w = self
            .setter
            .line(&widest, style, f32::MAX / 4.0, span)
            .map_or(0.0, |l| l.width);
        w + GUTTER_GAP * style.size
    }

    /// Numbers code lines in the gutter (`starts`: the index in `lines` of each source line's
    /// first set line; a continuation gets no number), right-aligned against the gap, grey,
    /// as artifacts: the numbers are not the code's text.
    pub(super) fn number_lines(
        &mut self,
        lines: &mut [SetLine],
        starts: &[usize],
        style: Style,
        span: Span,
    ) {
        let style = Style {
            color: MARK_GREY,
            ..style
        };
        for (n, &at) in starts.iter().enumerate() {
            let (Some(line), Some(num)) = (
                lines.get_mut(at),
                self.setter
                    .line(&(n + 1).to_string(), style, f32::MAX / 4.0, span),
            ) else {
                continue;
            };
            let dx = -(num.width + GUTTER_GAP * style.size);
            for mut run in num.runs {
                run.x += dx;
                run.tag = Tag::Artifact(Artifact::LineNumber);
                line.runs.push(run);
            }
        }
    }

    /// Lets a page end inside the code lines pushed from entry `first` only between two
    /// source lines (`starts`: the index of each one's first set line), with at least two
    /// source lines on either side: a listing of two or three lines stays whole, and no line of
    /// one is left alone at a page's foot or head, nor cut from its continuation.
    pub(super) fn keep_code_lines(&mut self, first: usize, starts: &[usize]) {
        let lines: Vec<usize> = (first..self.list.entries.len())
            .filter(|&i| matches!(self.list.entries[i], V::Line(_)))
            .collect();
        let count = starts.len();
        for (k, &at) in lines.iter().enumerate() {
            let Some(next) = k.checked_add(1).filter(|&next| next < lines.len()) else {
                break;
            };
            // `starts` rise: the source line that starts at `next`, if one does.
            let allowed = starts
                .binary_search(&next)
                .is_ok_and(|j| j >= 2 && count - j >= 2);
            if let V::Line(l) = &mut self.list.entries[at] {
                l.break_after &= allowed;
            }
        }
    }
}

#[cfg(test)]
mod tests;
