//! Breaking a paragraph into lines: Knuth and Plass's total-fit algorithm over boxes, glue and
//! penalties (as in TeX), with a first-fit fallback for the rare paragraph where no set of
//! breaks is feasible. The items are abstract: this module knows widths, not glyphs.

/// A penalty at or above this never breaks; at or below its negation always breaks.
pub(super) const INFINITE: f32 = 10_000.0;

#[derive(Debug, Clone, Copy, PartialEq)]
/// What a paragraph is made of, for the line breaker.
pub(super) enum Item {
    /// Content of fixed width: a piece of a word.
    Box { width: f32 },
    /// `fil`: infinitely stretchable (the glue that makes a last line ragged).
    Glue {
        width: f32,
        stretch: f32,
        shrink: f32,
        fil: bool,
    },
    /// `flagged` marks a hyphen: consecutive flagged breaks cost more and are limited.
    Penalty {
        width: f32,
        cost: f32,
        flagged: bool,
    },
}

impl Item {
    /// Glue that is not `fil`.
    pub(super) fn glue(width: f32, stretch: f32, shrink: f32) -> Item {
        Item::Glue {
            width,
            stretch,
            shrink,
            fil: false,
        }
    }

    /// Width as set on a line with adjustment `ratio` (negative shrinks); fil glue and
    /// penalties keep their natural width (a penalty's only shows at a break).
    pub(super) fn set_width(&self, ratio: f32) -> f32 {
        match *self {
            Item::Box { width } => width,
            Item::Glue {
                width, fil: true, ..
            } => width,
            Item::Glue { width, stretch, .. } if ratio >= 0.0 => width + ratio * stretch,
            Item::Glue { width, shrink, .. } => width + ratio * shrink,
            Item::Penalty { .. } => 0.0,
        }
    }

    fn is_box(&self) -> bool {
        matches!(self, Item::Box { .. })
    }
}

/// The costs of the algorithm; see [`Params::justified`] for the values and why.
#[derive(Debug, Clone, Copy)]
pub(super) struct Params {
    /// Width of a line.
    pub width: f32,
    /// Badness above which a line is infeasible in the first pass.
    pub tolerance: f32,
    /// Demerits of every line, so that fewer lines are better.
    pub line_penalty: f32,
    /// Extra demerits when two consecutive lines end with a hyphen.
    pub double_hyphen_demerits: f32,
    /// Extra demerits when a hyphen ends the last-but-one line.
    pub final_hyphen_demerits: f32,
    /// Extra demerits when adjacent lines are of very different tightness.
    pub fitness_demerits: f32,
    /// At most this many hyphenated lines in a row.
    pub max_hyphen_run: u32,
    /// A last line narrower than this is a runt …
    pub runt_width: f32,
    /// … and costs this much.
    pub runt_demerits: f32,
    /// Stretch added to every line (ragged-right setting uses it instead of interword stretch).
    pub line_stretch: f32,
}

impl Params {
    /// TeX's plain values; hyphen penalties come with the items (50 in TeX, 2 500 demerits;
    /// the paragraph setter uses 100), and even 50 costs more than a slightly loose line
    /// (r = 0.5: ~400 demerits above a perfect one). A last line shorter than a sixth of the
    /// measure is avoided when a break elsewhere allows it.
    pub(super) fn justified(width: f32) -> Params {
        Params {
            width,
            tolerance: 200.0,
            line_penalty: 10.0,
            double_hyphen_demerits: 10_000.0,
            final_hyphen_demerits: 5_000.0,
            fitness_demerits: 10_000.0,
            max_hyphen_run: 2,
            runt_width: width / 6.0,
            runt_demerits: 8_000.0,
            line_stretch: 0.0,
        }
    }

    /// Unjustified lines (headings, captions): glue keeps its natural width and each line may
    /// fall short by a few ems at no great cost.
    pub(super) fn ragged(width: f32, em: f32) -> Params {
        Params {
            line_stretch: 4.0 * em,
            runt_width: 0.0,
            ..Params::justified(width)
        }
    }
}

/// One line: items `start..end` (`end` is the break item: excluded glue, or a penalty whose
/// width is added, e.g. a hyphen), and how much its glue was stretched (>0) or shrunk (<0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Line {
    /// First item of the line.
    pub start: usize,
    /// The break item.
    pub end: usize,
    /// Adjustment ratio of its glue.
    pub ratio: f32,
    /// The line ends with a hyphen.
    pub hyphen: bool,
}

#[derive(Clone, Copy, Default)]
struct Sums {
    width: f32,
    stretch: f32,
    shrink: f32,
    fil: u32,
}

struct Prefix(Vec<Sums>);

impl Prefix {
    fn new(items: &[Item]) -> Prefix {
        let mut v = Vec::with_capacity(items.len() + 1);
        let mut s = Sums::default();
        v.push(s);
        for it in items {
            match *it {
                Item::Box { width } => s.width += width,
                Item::Glue {
                    width,
                    stretch,
                    shrink,
                    fil,
                } => {
                    s.width += width;
                    s.stretch += stretch;
                    s.shrink += shrink;
                    s.fil += u32::from(fil);
                }
                Item::Penalty { .. } => {}
            }
            v.push(s);
        }
        Prefix(v)
    }

    /// Width, stretch, shrink and fil of items `a..b`.
    fn between(&self, a: usize, b: usize) -> Sums {
        let (x, y) = (self.0[a], self.0[b]);
        Sums {
            width: y.width - x.width,
            stretch: y.stretch - x.stretch,
            shrink: y.shrink - x.shrink,
            fil: y.fil - x.fil,
        }
    }
}

/// The first item a line starting after a break at `b` keeps: glue and penalties after a
/// break are discarded up to the next box (or a forced break).
fn line_start(items: &[Item], b: usize) -> usize {
    let mut i = b;
    while i < items.len() {
        match items[i] {
            Item::Box { .. } => break,
            Item::Penalty { cost, .. } if cost <= -INFINITE && i != b => break,
            _ => i += 1,
        }
    }
    i
}

fn is_legal(items: &[Item], b: usize) -> bool {
    match items[b] {
        Item::Penalty { cost, .. } => cost < INFINITE,
        Item::Glue { .. } => b > 0 && items[b - 1].is_box(),
        Item::Box { .. } => false,
    }
}

fn penalty_of(item: &Item) -> (f32, f32, bool) {
    match *item {
        Item::Penalty {
            width,
            cost,
            flagged,
        } => (width, cost, flagged),
        _ => (0.0, 0.0, false),
    }
}

/// Adjustment ratio of a line of natural width `s.width + extra` set to `p.width`.
fn ratio(s: Sums, extra: f32, p: &Params) -> f32 {
    let natural = s.width + extra;
    if natural < p.width {
        if s.fil > 0 {
            0.0
        } else if s.stretch + p.line_stretch > 0.0 {
            (p.width - natural) / (s.stretch + p.line_stretch)
        } else {
            f32::INFINITY
        }
    } else if natural > p.width {
        if s.shrink > 0.0 {
            (p.width - natural) / s.shrink
        } else {
            f32::NEG_INFINITY
        }
    } else {
        0.0
    }
}

fn badness(r: f32) -> f32 {
    if r.is_infinite() {
        INFINITE
    } else {
        (100.0 * r.abs().powi(3)).min(INFINITE)
    }
}

fn fitness(r: f32) -> usize {
    if r < -0.5 {
        0
    } else if r <= 0.5 {
        1
    } else if r <= 1.0 {
        2
    } else {
        3
    }
}

struct Node {
    /// The break item (the paragraph start is a node at 0 with no break).
    pos: usize,
    /// First item of the line after this break.
    start: usize,
    fitness: usize,
    hyphen_run: u32,
    flagged: bool,
    lines: u32,
    demerits: f32,
    prev: Option<usize>,
}

/// Demerits of one line from `from` (a node's state) to the break at `b` with ratio `r`.
struct LineCost {
    demerits: f32,
    fitness: usize,
}

#[allow(clippy::too_many_arguments)]
fn line_cost(
    items: &[Item],
    prefix: &Prefix,
    p: &Params,
    start: usize,
    prev_fitness: usize,
    prev_flagged: bool,
    prev_lines: u32,
    b: usize,
    r: f32,
) -> LineCost {
    let (pw, cost, flagged) = penalty_of(&items[b]);
    let bad = badness(r);
    let mut d = (p.line_penalty + bad).powi(2);
    if cost > 0.0 {
        d += cost * cost;
    } else if cost > -INFINITE {
        d -= cost * cost;
    }
    if flagged && prev_flagged {
        d += p.double_hyphen_demerits;
    }
    let fit = fitness(r);
    if fit.abs_diff(prev_fitness) > 1 {
        d += p.fitness_demerits;
    }
    if b + 1 == items.len() {
        let content = prefix.between(start, b).width + pw;
        if prev_lines > 0 && content < p.runt_width {
            d += p.runt_demerits;
        }
        if prev_flagged {
            d += p.final_hyphen_demerits;
        }
    }
    LineCost {
        demerits: d,
        fitness: fit,
    }
}

/// Total-fit line breaking. `None` when no feasible set of breaks exists even with unlimited
/// tolerance (a box wider than the line).
pub(super) fn knuth_plass(items: &[Item], p: &Params) -> Option<Vec<Line>> {
    if items.is_empty() {
        return Some(Vec::new());
    }
    for tolerance in [p.tolerance, f32::INFINITY] {
        if let Some(lines) = pass(items, p, tolerance) {
            return Some(lines);
        }
    }
    None
}

/// One total-fit pass: every break found so far, and those a line may still start after.
struct Search<'a> {
    items: &'a [Item],
    p: &'a Params,
    prefix: Prefix,
    tolerance: f32,
    nodes: Vec<Node>,
    active: Vec<usize>,
}

fn pass(items: &[Item], p: &Params, tolerance: f32) -> Option<Vec<Line>> {
    let mut s = Search {
        items,
        p,
        prefix: Prefix::new(items),
        tolerance,
        nodes: vec![Node {
            pos: 0,
            start: line_start(items, 0),
            fitness: 1,
            hyphen_run: 0,
            flagged: false,
            lines: 0,
            demerits: 0.0,
            prev: None,
        }],
        active: vec![0],
    };
    for b in 0..items.len() {
        if !is_legal(items, b) {
            continue;
        }
        let best = s.lines_to(b);
        s.add_breaks(b, &best);
        if s.active.is_empty() {
            return None;
        }
    }
    let breaks = s.best_breaks()?;
    Some(lines_from_breaks(items, &breaks, p))
}

impl Search<'_> {
    /// The best line ending at the break at `b` for each class (fitness and hyphen run):
    /// total demerits and the node it starts after. Drops the nodes no line can start after
    /// any more.
    fn lines_to(&mut self, b: usize) -> Vec<Option<(f32, usize)>> {
        let (items, p, nodes) = (self.items, self.p, &self.nodes);
        let classes = 4 * (p.max_hyphen_run as usize + 1);
        let (pw, cost, flagged) = penalty_of(&items[b]);
        let forced = cost <= -INFINITE;
        let mut best: Vec<Option<(f32, usize)>> = vec![None; classes];
        let mut keep = Vec::with_capacity(self.active.len());
        for &a in &self.active {
            let node = &nodes[a];
            if node.start > b {
                keep.push(a);
                continue;
            }
            let r = ratio(self.prefix.between(node.start, b), pw, p);
            if r < -1.0 {
                // Lines from `a` only get longer from here on.
                continue;
            }
            if !forced {
                keep.push(a);
            }
            let bad = badness(r);
            let feasible = if self.tolerance.is_infinite() {
                true
            } else {
                bad <= self.tolerance
            };
            if !feasible || (flagged && node.hyphen_run >= p.max_hyphen_run) {
                continue;
            }
            let c = line_cost(
                items,
                &self.prefix,
                p,
                node.start,
                node.fitness,
                node.flagged,
                node.lines,
                b,
                r,
            );
            let total = node.demerits + c.demerits;
            let run = if flagged { node.hyphen_run + 1 } else { 0 };
            let class = c.fitness * (p.max_hyphen_run as usize + 1) + run as usize;
            if best[class].is_none_or(|(d, _)| total < d) {
                best[class] = Some((total, a));
            }
        }
        self.active = keep;
        best
    }

    /// Adds a node for the break at `b` for each class that has a best line to it.
    fn add_breaks(&mut self, b: usize, best: &[Option<(f32, usize)>]) {
        let (_, _, flagged) = penalty_of(&self.items[b]);
        let runs = self.p.max_hyphen_run as usize + 1;
        for (class, slot) in best.iter().enumerate() {
            if let Some((demerits, a)) = *slot {
                let run = (class % runs) as u32;
                let node = Node {
                    pos: b,
                    start: line_start(self.items, b + 1),
                    fitness: class / runs,
                    hyphen_run: run,
                    flagged,
                    lines: self.nodes[a].lines + 1,
                    demerits,
                    prev: Some(a),
                };
                self.nodes.push(node);
                self.active.push(self.nodes.len() - 1);
            }
        }
    }

    /// The breaks of the cheapest way to the paragraph's end, in order.
    fn best_breaks(&self) -> Option<Vec<usize>> {
        let nodes = &self.nodes;
        let last = self.items.len() - 1;
        let end = self
            .active
            .iter()
            .copied()
            .filter(|&a| nodes[a].pos == last && nodes[a].prev.is_some())
            .min_by(|&x, &y| nodes[x].demerits.total_cmp(&nodes[y].demerits))?;
        let mut breaks = Vec::new();
        let mut at = Some(end);
        while let Some(i) = at {
            if nodes[i].prev.is_some() {
                breaks.push(nodes[i].pos);
            }
            at = nodes[i].prev;
        }
        breaks.reverse();
        Some(breaks)
    }
}

/// First-fit: each line takes as much as fits (with shrinking), the fallback when total-fit
/// finds nothing. A box wider than the line gets a line of its own.
pub(super) fn greedy(items: &[Item], p: &Params) -> Vec<Line> {
    let prefix = Prefix::new(items);
    let mut breaks = Vec::new();
    let mut start = line_start(items, 0);
    let mut last_fit: Option<usize> = None;
    let mut b = 0;
    while b < items.len() {
        if !is_legal(items, b) || b < start {
            b += 1;
            continue;
        }
        let (pw, cost, _) = penalty_of(&items[b]);
        let s = prefix.between(start, b);
        let fits = s.width + pw - s.shrink <= p.width;
        if fits && cost <= -INFINITE {
            breaks.push(b);
            start = line_start(items, b + 1);
            last_fit = None;
        } else if fits {
            last_fit = Some(b);
        } else {
            let at = last_fit.unwrap_or(b);
            breaks.push(at);
            start = line_start(items, at + 1);
            last_fit = None;
            if at != b {
                // Look at this break again from the new line's start.
                continue;
            }
        }
        b += 1;
    }
    if breaks.last() != Some(&(items.len() - 1)) && !items.is_empty() {
        breaks.push(items.len() - 1);
    }
    lines_from_breaks(items, &breaks, p)
}

fn lines_from_breaks(items: &[Item], breaks: &[usize], p: &Params) -> Vec<Line> {
    let prefix = Prefix::new(items);
    let mut start = line_start(items, 0);
    let mut lines = Vec::with_capacity(breaks.len());
    for &b in breaks {
        let (pw, _, flagged) = penalty_of(&items[b]);
        let s = prefix.between(start.min(b), b);
        let r = ratio(s, pw, p);
        lines.push(Line {
            start: start.min(b),
            end: b,
            ratio: if r.is_finite() { r } else { 0.0 },
            hyphen: flagged && pw > 0.0,
        });
        start = line_start(items, b + 1);
    }
    lines
}

/// Total demerits of a set of lines, computed exactly as the total-fit search does (so the two
/// strategies can be compared).
#[cfg(test)]
pub(super) fn total_demerits(items: &[Item], lines: &[Line], p: &Params) -> f32 {
    let prefix = Prefix::new(items);
    let (mut fit, mut flagged, mut total) = (1, false, 0.0);
    for (n, l) in lines.iter().enumerate() {
        let (pw, _, f) = penalty_of(&items[l.end]);
        let r = ratio(prefix.between(l.start, l.end), pw, p);
        let r = r.max(-1.0);
        let c = line_cost(items, &prefix, p, l.start, fit, flagged, n as u32, l.end, r);
        total += c.demerits;
        fit = c.fitness;
        flagged = f;
    }
    total
}

/// Width of a line as set: glue stretched or shrunk by the line's ratio.
#[cfg(test)]
pub(super) fn set_width(items: &[Item], line: &Line) -> f32 {
    let w: f32 = items[line.start..line.end]
        .iter()
        .map(|it| it.set_width(line.ratio))
        .sum();
    w + penalty_of(&items[line.end]).0
}

#[cfg(test)]
mod tests;
