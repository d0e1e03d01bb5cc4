//! Full pages end on the same line: every page whose text goes on to the next page is set to
//! the full depth of its text block (within 1 pt), on the Kernel Recipes book, in every page
//! profile.

mod common;

use common::*;
use kr_publish::testing::{layout, Fonts, Geometry, LineRole, Matter, Page};

/// How far above the foot of its text block (the notes' top, when it has notes) the page's
/// text ends.
fn shortfall(p: &Page, g: &Geometry) -> f32 {
    let text = |r: &LineRole| !matches!(r, LineRole::Note | LineRole::Header | LineRole::Footer);
    let bottom = p
        .lines
        .iter()
        .filter(|l| text(&l.role))
        .map(|l| l.rect.y + l.rect.h)
        .fold(0.0, f32::max);
    // The notes hang from the foot, under a space of 1.2 body sizes holding their rule.
    let foot = p
        .lines
        .iter()
        .filter(|l| l.role == LineRole::Note)
        .map(|l| l.rect.y - 1.2 * g.body_size)
        .fold(g.top + g.body_height, f32::min);
    foot - bottom
}

/// Whether the page opens with a title (a new talk or section).
fn opens_with_title(p: &Page) -> bool {
    p.lines
        .iter()
        .find(|l| !matches!(l.role, LineRole::Header | LineRole::Footer))
        .is_some_and(|l| l.role == LineRole::Heading)
}

#[test]
fn full_pages_reach_the_foot_of_the_text_block() {
    let loaded = kr_publish::parse::load(&kr_book()).expect("parses");
    let fonts = Fonts::bundled().expect("fonts");
    let mut failures = Vec::new();
    for name in ["a4", "ereader", "letter", "a5"] {
        let g = Geometry::profile(name).expect("profile");
        let pages = layout(&loaded.book, &fonts, g, &Matter::default()).pages;
        let mut checked = 0;
        let mut exempt = Vec::new();
        for (i, p) in pages.iter().enumerate().filter(|(_, p)| p.full) {
            let short = shortfall(p, &g);
            // A page before a new talk may stay short when the limits of stretch cannot fill
            // it: the talk's title keeps two lines of its text with it.
            if short > 1.0 && pages.get(i + 1).is_some_and(opens_with_title) {
                exempt.push((p.label(), short));
                continue;
            }
            checked += 1;
            if short.abs() > 1.0 {
                failures.push(format!("{name} p. {}: {short:.1} pt short", p.label()));
            }
        }
        eprintln!("{name}: {checked} full pages flush; short before a title: {exempt:?}");
        assert!(
            checked * 2 > pages.len(),
            "{name}: only {checked} of {} pages checked",
            pages.len()
        );
    }
    assert!(
        failures.is_empty(),
        "pages not set to full depth: {failures:#?}"
    );
}
