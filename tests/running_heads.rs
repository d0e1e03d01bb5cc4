//! Running heads as proceedings set them: the part (the day) on left-hand pages, the talk or
//! post on right-hand pages, none on a page that opens a part, a post or a matter section.

mod common;

use common::*;
use kr_publish::testing::{layout, Fonts, Geometry, Item, LineRole, Matter, Page};

/// The text of the page's running head, if it has one.
fn head(p: &Page) -> Option<String> {
    let rect = p.lines.iter().find(|l| l.role == LineRole::Header)?.rect;
    let text: String = p
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(r) if r.y >= rect.y && r.y <= rect.y + rect.h => Some(r.text.as_str()),
            _ => None,
        })
        .collect();
    Some(text)
}

#[test]
fn left_pages_name_the_day_right_pages_the_talk() {
    let loaded = kr_publish::parse::load(&kr_book()).expect("parses");
    let book = &loaded.book;
    let fonts = Fonts::bundled().expect("fonts");
    let pages = layout(book, &fonts, Geometry::default(), &Matter::default()).pages;
    let days: Vec<&str> = book.parts.iter().map(|p| p.title.as_str()).collect();
    let chapters: Vec<String> = book
        .chapters()
        .iter()
        .map(|(_, c)| c.title.clone())
        .collect();
    let openers: Vec<&str> = book
        .parts
        .iter()
        .flat_map(|p| p.chapters.iter().map(|c| c.title.as_str()))
        .chain(days.iter().copied())
        .chain(["Contents", "Index of speakers"])
        .collect();
    let (mut left, mut right) = (0, 0);
    for p in pages.iter().filter(|p| p.label().parse::<usize>().is_ok()) {
        let first = p
            .items
            .iter()
            .find_map(|i| match i {
                Item::Text(r) => Some(r.text.clone()),
                _ => None,
            })
            .unwrap_or_default();
        let Some(text) = head(p) else { continue };
        assert!(
            !openers.iter().any(
                |o| first.starts_with(o) && p.lines.iter().any(|l| l.role == LineRole::Heading)
            ),
            "p. {}: an opener page (`{first}`) has the head `{text}`",
            p.label()
        );
        if p.number % 2 == 0 {
            left += 1;
            assert!(
                days.contains(&text.as_str()) || text == "Index of speakers",
                "left p. {}: `{text}` is not a day",
                p.label()
            );
        } else {
            right += 1;
            assert!(
                chapters.contains(&text) || text == "Index of speakers",
                "right p. {}: `{text}` is not a chapter",
                p.label()
            );
        }
    }
    assert!(
        left > 10 && right > 10,
        "{left} left and {right} right heads"
    );
}
