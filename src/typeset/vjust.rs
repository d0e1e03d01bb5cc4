//! Vertical justification: a page whose text goes on to the next page is set to the full
//! depth of its text block, so that facing pages end on the same line. The slack the page
//! cut leaves (a kept heading, a widow or an orphan moved on) is spread first over the
//! spaces between blocks, then, a little, over the gaps between lines, each within a limit
//! a reader does not notice; what the limits cannot take leaves the page short.

use super::vlist::V;

/// How much a space between blocks may grow, as a share of itself.
const SPACE_STRETCH: f32 = 1.0;
/// How much the gap before a line may grow, as a share of the line's height.
const LINE_STRETCH: f32 = 0.1;

/// The extra space to add before each of `entries` (one page's share of the vertical list)
/// so that its last line ends `room` below where it starts. Spaces before the first line
/// are not drawn unless `started` (something, a table's head, is above them), so they
/// neither count nor grow.
pub(super) fn extra_space(entries: &[V], room: f32, started: bool) -> Vec<f32> {
    let mut extra = vec![0.0; entries.len()];
    // Per line after the first: its index, its height and the drawn space above it.
    let mut gaps: Vec<(usize, f32, f32)> = Vec::new();
    let mut natural = 0.0;
    let mut started = started;
    let mut pending = 0.0;
    for (i, entry) in entries.iter().enumerate() {
        match entry {
            V::Space(s) if started => pending += s,
            V::Line(l) => {
                if started {
                    gaps.push((i, l.height, pending));
                }
                natural += pending + l.height;
                pending = 0.0;
                started = true;
            }
            _ => {}
        }
    }
    let mut slack = room - natural;
    if slack <= 0.0 || gaps.is_empty() {
        return extra;
    }
    // Spaces first: they are where a reader expects variable room.
    let spaces: f32 = gaps.iter().map(|g| g.2).sum();
    if spaces > 0.0 {
        let share = (slack / spaces).min(SPACE_STRETCH);
        for &(i, _, space) in &gaps {
            extra[i] += space * share;
        }
        slack -= spaces * share;
    }
    let lines: f32 = gaps.iter().map(|g| g.1).sum();
    if slack > 0.0 && lines > 0.0 {
        let share = (slack / lines).min(LINE_STRETCH);
        for &(i, height, _) in &gaps {
            extra[i] += height * share;
        }
    }
    extra
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::frame::LineRole;
    use crate::typeset::para::SetLine;
    use crate::typeset::vlist::VLine;

    fn line(h: f32) -> V {
        V::Line(VLine::new(
            h,
            h * 0.8,
            0.0,
            SetLine::default(),
            LineRole::Body,
        ))
    }

    fn bottom(entries: &[V], extra: &[f32]) -> f32 {
        let mut y = 0.0;
        let mut started = false;
        for (e, x) in entries.iter().zip(extra) {
            match e {
                V::Space(s) if started => y += s + x,
                V::Line(l) => {
                    y += x + l.height;
                    started = true;
                }
                _ => {}
            }
        }
        y
    }

    #[test]
    fn slack_goes_to_the_spaces_first_then_to_the_lines() {
        let page = [
            V::Space(9.0),
            line(10.0),
            line(10.0),
            V::Space(6.0),
            line(10.0),
        ];
        // 6 pt of slack: the one drawn space doubles, no line moves.
        let extra = extra_space(&page, 42.0, false);
        assert_eq!(extra, vec![0.0, 0.0, 0.0, 0.0, 6.0]);
        // 7 pt: the space takes 6, the two gaps between lines share the last point.
        let extra = extra_space(&page, 43.0, false);
        assert!((bottom(&page, &extra) - 43.0).abs() < 1e-4, "{extra:?}");
        assert!((extra[2] - 0.5).abs() < 1e-4 && (extra[4] - 6.5).abs() < 1e-4);
    }

    #[test]
    fn too_much_slack_leaves_the_page_short() {
        let page = [line(10.0), V::Space(5.0), line(10.0)];
        let extra = extra_space(&page, 100.0, false);
        let most = 5.0 * SPACE_STRETCH + 10.0 * LINE_STRETCH;
        assert!((extra[2] - most).abs() < 1e-4, "{extra:?}");
    }

    #[test]
    fn a_full_or_single_line_page_is_left_alone() {
        assert_eq!(
            extra_space(&[line(10.0), line(10.0)], 20.0, false),
            vec![0.0, 0.0]
        );
        assert_eq!(
            extra_space(&[V::Space(3.0), line(10.0)], 50.0, false),
            vec![0.0, 0.0]
        );
    }
}
