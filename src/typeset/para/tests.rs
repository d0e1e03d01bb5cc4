use super::*;
use crate::typeset::fonts::{FaceId, Fonts, MONO, REGULAR};

fn style(face: FaceId, code: bool) -> Style {
    Style {
        face,
        size: 11.0,
        color: Rgb::BLACK,
        code,
        strike: false,
        raise: 0.0,
        link: None,
    }
}

fn line_texts(lines: &[SetLine]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l.runs.iter().map(|r| r.text.as_str()).collect::<String>())
        .collect()
}

#[test]
fn hyphenation_never_touches_code_or_identifiers() {
    let fonts = Fonts::bundled().expect("fonts");
    let mut s = Setter::new(Shaper::new(&fonts));
    let mut pieces = Vec::new();
    for _ in 0..12 {
        pieces.push(Piece::Text(
            "Submission through io_uring_submit_and_wait with ".into(),
            style(REGULAR, false),
        ));
        pieces.push(Piece::Text("registerbuffers".into(), style(MONO, true)));
        pieces.push(Piece::Text(
            " and std::collections for infrastructure documentation considerations ".into(),
            style(REGULAR, false),
        ));
    }
    // Wide enough for the identifier, so only hyphenation could split it.
    for width in [150.0, 190.0, 230.0] {
        let lines = s.set(&pieces, width, true, Span::default());
        let texts = line_texts(&lines);
        let hyphenated = texts.iter().filter(|t| t.ends_with('-')).count();
        assert!(
            hyphenated > 0,
            "narrow lines should need some hyphens: {texts:?}"
        );
        let all = texts.join("\n");
        for token in [
            "io_uring_submit_and_wait",
            "registerbuffers",
            "std::collections",
        ] {
            assert_eq!(
                all.matches(token).count(),
                12,
                "{token} was split: {texts:?}"
            );
        }
        for l in &lines {
            assert!(
                l.width <= width + 0.01,
                "overfull line {} > {width}",
                l.width
            );
        }
    }
}

#[test]
fn an_over_wide_url_breaks_after_slashes() {
    let fonts = Fonts::bundled().expect("fonts");
    let mut s = Setter::new(Shaper::new(&fonts));
    let url = "https://example.org/a/very/long/path/that/does/not/fit/on/one/line";
    let pieces = [Piece::Text(
        format!("See {url} now."),
        style(REGULAR, false),
    )];
    let lines = s.set(&pieces, 120.0, true, Span::default());
    let texts = line_texts(&lines);
    assert!(lines.len() >= 3, "{texts:?}");
    assert!(s.words.warnings.is_empty(), "{:?}", s.words.warnings);
    assert_eq!(texts.concat().replace(' ', ""), format!("See{url}now."));
    for (l, t) in lines.iter().zip(&texts) {
        assert!(l.width <= 120.01, "{t}: {}", l.width);
    }
    // Inside the URL, lines end after a slash.
    for t in &texts[..texts.len() - 1] {
        let t = t.trim_end();
        assert!(t.ends_with('/') || t.ends_with("line"), "{texts:?}");
    }
}

#[test]
fn a_token_with_no_safe_break_is_reported_and_still_fits() {
    let fonts = Fonts::bundled().expect("fonts");
    let mut s = Setter::new(Shaper::new(&fonts));
    let token = "0123456789".repeat(8);
    let pieces = [Piece::Text(token.clone(), style(MONO, true))];
    let span = Span {
        file: 0,
        line: 7,
        col: 3,
    };
    let lines = s.set(&pieces, 100.0, true, span);
    assert!(lines.len() > 1);
    assert!(lines.iter().all(|l| l.width <= 100.01));
    assert_eq!(s.words.warnings.len(), 1, "{:?}", s.words.warnings);
    assert_eq!(s.words.warnings[0].0, span);
}

#[test]
fn ligatures_keep_their_characters_for_copying() {
    let fonts = Fonts::bundled().expect("fonts");
    let mut s = Setter::new(Shaper::new(&fonts));
    let pieces = [Piece::Text(
        "official figures".into(),
        style(REGULAR, false),
    )];
    let lines = s.set(&pieces, 300.0, true, Span::default());
    let run = &lines[0].runs[0];
    assert_eq!(run.text, "official figures");
    let lig = run
        .glyphs
        .iter()
        .find(|g| g.range.len() > 1)
        .expect("a ligature glyph");
    assert!(
        ["ffi", "ff", "fi"].contains(&&run.text[lig.range.start as usize..lig.range.end as usize])
    );
    // Every character is covered by exactly one glyph's range.
    let mut covered = vec![0; run.text.len()];
    for g in &run.glyphs {
        for i in g.range.clone() {
            covered[i as usize] += 1;
        }
    }
    assert!(covered.iter().all(|&c| c == 1), "{covered:?}");
}

#[test]
fn code_lines_wrap_only_when_too_wide_with_a_mark() {
    let fonts = Fonts::bundled().expect("fonts");
    let mut s = Setter::new(Shaper::new(&fonts));
    let st = style(MONO, true);
    let short = s.set_verbatim("    let x = 1;", st, 300.0, Span::default(), &[]);
    assert_eq!(line_texts(&short), ["    let x = 1;"]);
    let long = "call(argument_one, argument_two, argument_three, argument_four);";
    let lines = s.set_verbatim(long, st, 200.0, Span::default(), &[]);
    let texts = line_texts(&lines);
    assert!(texts.len() >= 2, "{texts:?}");
    assert!(
        texts[1..].iter().all(|t| t.starts_with(CONTINUATION)),
        "{texts:?}"
    );
    assert_eq!(texts.concat().replace(CONTINUATION, ""), long);
    assert!(lines.iter().all(|l| l.width <= 200.01));
}

#[test]
fn code_lines_break_at_punctuation_before_inside_a_token() {
    let fonts = Fonts::bundled().expect("fonts");
    let mut s = Setter::new(Shaper::new(&fonts));
    let st = style(MONO, true);
    // No spaces after the indentation: the breaks fall after commas, never mid-word, and
    // never in the indentation.
    let long = "        f(alpha_beta_gamma,delta_epsilon_zeta,eta_theta_iota,kappa_lambda_mu);";
    let lines = s.set_verbatim(long, st, 260.0, Span::default(), &[]);
    let texts = line_texts(&lines);
    assert!(texts.len() >= 2, "{texts:?}");
    for t in &texts[..texts.len() - 1] {
        assert!(t.ends_with(',') || t.ends_with('('), "{texts:?}");
    }
    assert!(texts[0].trim().len() > 1, "{texts:?}");
    // A token longer than the line still breaks, inside it.
    let token = "x".repeat(80);
    let lines = s.set_verbatim(&token, st, 160.0, Span::default(), &[]);
    assert!(lines.len() >= 2 && lines.iter().all(|l| l.width <= 160.01));
}

#[test]
fn a_continuation_never_starts_with_closing_punctuation() {
    let fonts = Fonts::bundled().expect("fonts");
    let mut s = Setter::new(Shaper::new(&fonts));
    let st = style(MONO, true);
    // The fixture's long line: broken after `ok(`, it left `))` to start the last line.
    let long = "    if let Some(value) = std::env::args().nth(1).and_then(|argument| argument.parse::<u64>().ok()) { drop(value); }";
    for width in (120..=420).step_by(3) {
        let lines = s.set_verbatim(long, st, width as f32, Span::default(), &[]);
        let texts = line_texts(&lines);
        assert_eq!(texts.concat().replace(CONTINUATION, ""), long);
        for t in &texts[1..] {
            let rest = t.trim_start_matches(CONTINUATION).trim_start();
            assert!(
                !rest.starts_with([')', ']', '}', ';', ',']),
                "at {width}: {texts:?}"
            );
        }
    }
}

#[test]
fn a_paragraph_that_comes_back_past_the_keep_budget_is_set_again_alike() {
    let fonts = Fonts::bundled().expect("fonts");
    let text = "A paragraph that comes back three times in the book, in the same measure.";
    let pieces = vec![Piece::Text(text.into(), style(REGULAR, false))];
    let mut kept_lines = Vec::new();
    for (budget, set_again) in [(KEEP_BUDGET, 0), (0, 2)] {
        let mut s = Setter::new(Shaper::new(&fonts));
        s.keep_budget = budget;
        s.set_mode(Mode::Outline);
        for _ in 0..3 {
            s.set(&pieces, 120.0, true, Span::default());
        }
        s.set_mode(Mode::Final);
        let sets: Vec<String> = (0..3)
            .map(|_| format!("{:?}", s.set(&pieces, 120.0, true, Span::default())))
            .collect();
        assert!(sets[0].contains("glyphs: [Glyph"), "the lines have glyphs");
        assert!(sets.iter().all(|l| *l == sets[0]), "{budget}: {sets:?}");
        kept_lines.push(sets[0].clone());
        assert_eq!(s.set_again, set_again, "budget {budget}");
        assert_eq!(s.kept, 0, "the last use gives back what was kept");
        assert!(s.paragraphs.is_empty());
    }
    assert_eq!(kept_lines[0], kept_lines[1]);
}
