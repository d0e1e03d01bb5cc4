use super::*;

/// Items for `text` with every character one unit wide; `|` inside a word marks a hyphenation
/// point (a hyphen one unit wide).
fn items(text: &str, hyphen_cost: f32) -> Vec<Item> {
    let mut v = Vec::new();
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            v.push(Item::glue(1.0, 1.0, 0.5));
        }
        for (j, part) in word.split('|').enumerate() {
            if j > 0 {
                v.push(Item::Penalty {
                    width: 1.0,
                    cost: hyphen_cost,
                    flagged: true,
                });
            }
            v.push(Item::Box {
                width: part.chars().count() as f32,
            });
        }
    }
    v.push(Item::Penalty {
        width: 0.0,
        cost: INFINITE,
        flagged: false,
    });
    v.push(Item::Glue {
        width: 0.0,
        stretch: 0.0,
        shrink: 0.0,
        fil: true,
    });
    v.push(Item::Penalty {
        width: 0.0,
        cost: -INFINITE,
        flagged: false,
    });
    v
}

/// The lines as text, for readable assertions.
fn render(text: &str, lines: &[Line]) -> Vec<String> {
    // Rebuild the item → text mapping the same way `items` builds items.
    let mut pieces: Vec<String> = Vec::new();
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            pieces.push(" ".into());
        }
        for (j, part) in word.split('|').enumerate() {
            if j > 0 {
                pieces.push("-".into());
            }
            pieces.push(part.into());
        }
    }
    lines
        .iter()
        .map(|l| {
            let mut s: String = (l.start..l.end)
                .filter_map(|i| pieces.get(i))
                .filter(|p| p.as_str() != "-")
                .cloned()
                .collect();
            if l.hyphen {
                s.push('-');
            }
            s
        })
        .collect()
}

/// A small deterministic generator, so the property tests need no extra crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }

    fn paragraph(&mut self, words: usize) -> String {
        (0..words)
            .map(|_| {
                let len = 1 + self.next(9) as usize;
                let mut w: String = "x".repeat(len);
                if len >= 6 && self.next(2) == 0 {
                    w.insert(2 + self.next(len as u64 - 4) as usize, '|');
                }
                w
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[test]
fn a_known_paragraph_breaks_as_expected() {
    // First-fit squeezes `e` into a tight line after a loose one; total-fit keeps adjacent
    // lines alike and moves `e` down.
    let text = "aaa bbbbbbbb ccc dddddddd e ff gggg";
    let p = Params {
        runt_width: 0.0,
        ..Params::justified(13.0)
    };
    let it = items(text, 50.0);
    let kp = knuth_plass(&it, &p).expect("feasible");
    let gr = greedy(&it, &p);
    assert_eq!(
        render(text, &gr),
        ["aaa bbbbbbbb", "ccc dddddddd e", "ff gggg"]
    );
    assert_eq!(
        render(text, &kp),
        ["aaa bbbbbbbb", "ccc dddddddd", "e ff gggg"]
    );
    assert_eq!(total_demerits(&it, &gr, &p), 34_300.0);
    assert_eq!(total_demerits(&it, &kp, &p), 24_300.0);
}

#[test]
fn a_hyphen_costs_more_than_a_slightly_loose_line() {
    // Unhyphenated, the first line stretches its five spaces by 0.6 (badness 22); hyphenated
    // it would be perfect. At penalty 50 the loose line wins; a free hyphen would win.
    let text = "a b c d e f g|hhh";
    let p = Params {
        runt_width: 0.0,
        final_hyphen_demerits: 0.0,
        ..Params::justified(14.0)
    };
    let lines = knuth_plass(&items(text, 50.0), &p).expect("feasible");
    assert_eq!(render(text, &lines), ["a b c d e f", "ghhh"]);
    let free = knuth_plass(&items(text, 0.0), &p).expect("feasible");
    assert_eq!(render(text, &free), ["a b c d e f g-", "hhh"]);
}

#[test]
fn the_last_line_is_not_a_runt_when_avoidable() {
    let text = "aaaaaa bbbb c ddddd eeee|eeeee f ggggg|gggg hh|hhhh iiiiii jjjj|jjj";
    let p = Params::justified(20.0);
    let lines = knuth_plass(&items(text, 50.0), &p).expect("feasible");
    assert_eq!(
        render(text, &lines),
        [
            "aaaaaa bbbb c ddddd",
            "eeeeeeeee f ggggggggg",
            "hhhhhh iiiiii jjjjjjj"
        ]
    );
    let careless = Params {
        runt_demerits: 0.0,
        ..p
    };
    let lines = knuth_plass(&items(text, 50.0), &careless).expect("feasible");
    assert_eq!(render(text, &lines).pop().as_deref(), Some("jjj"));
}

/// Every choice of breaks for a short paragraph, to check total-fit finds the optimum.
fn brute_force(it: &[Item], p: &Params) -> Option<f32> {
    let legal: Vec<usize> = (0..it.len() - 1).filter(|&b| is_legal(it, b)).collect();
    assert!(legal.len() <= 16);
    let mut best: Option<f32> = None;
    for mask in 0u32..(1 << legal.len()) {
        let mut breaks: Vec<usize> = legal
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, &b)| b)
            .collect();
        breaks.push(it.len() - 1);
        let lines = lines_from_breaks(it, &breaks, p);
        if !admissible(it, &lines, p) {
            continue;
        }
        let d = total_demerits(it, &lines, p);
        if best.is_none_or(|b| d < b) {
            best = Some(d);
        }
    }
    best
}

/// Lines within tolerance, none overfull, no more than the allowed run of hyphens.
fn admissible(it: &[Item], lines: &[Line], p: &Params) -> bool {
    let prefix = Prefix::new(it);
    let mut run = 0;
    for l in lines {
        if l.start > l.end {
            return false;
        }
        let (pw, _, flagged) = penalty_of(&it[l.end]);
        let r = ratio(prefix.between(l.start, l.end), pw, p);
        if r < -1.0 || badness(r) > p.tolerance {
            return false;
        }
        run = if flagged { run + 1 } else { 0 };
        if run > p.max_hyphen_run {
            return false;
        }
    }
    true
}

#[test]
fn total_fit_finds_the_optimum_of_small_paragraphs() {
    let mut rng = Lcg(7);
    let mut compared = 0;
    for case in 0..800 {
        let text = rng.paragraph(5 + case % 6);
        let it = items(&text, 50.0);
        if (0..it.len() - 1).filter(|&b| is_legal(&it, b)).count() > 14 {
            continue;
        }
        let p = Params::justified(10.0 + rng.next(10) as f32);
        let Some(best) = brute_force(&it, &p) else {
            continue;
        };
        let kp = pass(&it, &p, p.tolerance).expect("a feasible solution exists");
        let got = total_demerits(&it, &kp, &p);
        assert!(
            (got - best).abs() < 1e-2 * best.max(1.0),
            "{text}: {got} vs optimum {best}"
        );
        compared += 1;
    }
    assert!(compared > 100, "only {compared} cases compared");
}

#[test]
fn total_cost_is_never_above_first_fit() {
    let mut rng = Lcg(42);
    let mut compared = 0;
    for _ in 0..500 {
        let n = 20 + rng.next(60) as usize;
        let text = rng.paragraph(n);
        let p = Params::justified(18.0 + rng.next(40) as f32);
        let it = items(&text, 50.0);
        let kp = knuth_plass(&it, &p).expect("no word is wider than the line");
        let gr = greedy(&it, &p);
        for l in &kp {
            assert!(set_width(&it, l) <= p.width + 1e-3, "{text}: overfull line");
        }
        // Compare where first-fit's answer is one total-fit could have chosen.
        if admissible(&it, &gr, &p) {
            let (k, g) = (total_demerits(&it, &kp, &p), total_demerits(&it, &gr, &p));
            assert!(k <= g + 1e-3, "{text}: total-fit {k} > first-fit {g}");
            compared += 1;
        }
    }
    assert!(compared > 100, "only {compared} cases compared");
}

#[test]
fn never_more_than_two_hyphenated_lines_in_a_row() {
    let text = "aaaaa b cc dd eeeeeeee fffff ggg|ggg hh|hhhh iiii|iii jjjjj";
    let p = Params::justified(11.0);
    let lines = knuth_plass(&items(text, 50.0), &p).expect("feasible");
    assert_eq!(
        render(text, &lines),
        [
            "aaaaa b cc",
            "dd eeeeeeee",
            "fffff ggg-",
            "ggg hhhhhh",
            "iiiiiii",
            "jjjjj"
        ]
    );
    // Without the limit the cheapest breaks hyphenate three lines in a row.
    let unlimited = Params {
        max_hyphen_run: 9,
        ..p
    };
    let lines = knuth_plass(&items(text, 50.0), &unlimited).expect("feasible");
    let hyphens: Vec<bool> = lines.iter().map(|l| l.hyphen).collect();
    assert!(
        hyphens.windows(3).any(|w| w == [true, true, true]),
        "{hyphens:?}"
    );
}

#[test]
fn greedy_is_the_fallback_for_a_box_wider_than_the_line() {
    let it = items("aa bbbbbbbbbbbbbbbbbbbb cc", 50.0);
    let p = Params::justified(10.0);
    assert!(knuth_plass(&it, &p).is_none());
    let lines = greedy(&it, &p);
    assert_eq!(lines.len(), 3);
}
