//! Where each byte of an expanded chapter comes from in the chapter's own text.

/// Maps byte offsets of an expanded chapter back to offsets in the chapter's own text.
#[derive(Debug, Clone)]
pub(crate) struct SourceMap {
    segs: Vec<Seg>,
}

#[derive(Debug, Clone, Copy)]
struct Seg {
    /// Where the segment starts in the expanded text.
    out: usize,
    /// Where it comes from in the chapter's text (for inserted text: its directive).
    orig: usize,
    /// Copied from the chapter as is, so offsets inside it map one to one.
    verbatim: bool,
}

impl SourceMap {
    /// The map of a text that is the chapter's own from `base` on.
    pub(crate) fn identity(base: usize) -> Self {
        Self {
            segs: vec![Seg {
                out: 0,
                orig: base,
                verbatim: true,
            }],
        }
    }

    /// The offset in the chapter's text that expanded offset `out` comes from.
    pub(crate) fn orig(&self, out: usize) -> usize {
        let i = self.segs.partition_point(|s| s.out <= out);
        match i.checked_sub(1).and_then(|i| self.segs.get(i)) {
            Some(s) if s.verbatim => s.orig + (out - s.out),
            Some(s) => s.orig,
            None => out,
        }
    }

    /// The map of `new`, a text that replaced `old` (whose offsets this map maps): text the
    /// two share at their start and end keeps its place, the changed middle points at where
    /// the change starts.
    pub(crate) fn edited(&self, old: &str, new: &str) -> SourceMap {
        let mut prefix = old
            .bytes()
            .zip(new.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        while !new.is_char_boundary(prefix) {
            prefix -= 1;
        }
        let most = old.len().min(new.len()) - prefix;
        let mut suffix = old
            .bytes()
            .rev()
            .zip(new.bytes().rev())
            .take(most)
            .take_while(|(a, b)| a == b)
            .count();
        while !new.is_char_boundary(new.len() - suffix) || !old.is_char_boundary(old.len() - suffix)
        {
            suffix -= 1;
        }
        let mut diff = SourceMap::identity(0);
        if new.len() - suffix > prefix {
            diff.push(prefix, prefix, false);
        }
        diff.push(new.len() - suffix, old.len() - suffix, true);
        diff.then(self)
    }

    /// This map followed by `outer`, which maps the offsets this one maps to.
    pub(crate) fn then(&self, outer: &SourceMap) -> SourceMap {
        let mut out = SourceMap { segs: Vec::new() };
        for (i, seg) in self.segs.iter().enumerate() {
            if !seg.verbatim {
                out.push(seg.out, outer.orig(seg.orig), false);
                continue;
            }
            // A verbatim run [seg.orig, seg.orig + len) is split where `outer` changes segment.
            let len = self
                .segs
                .get(i + 1)
                .map_or(usize::MAX, |next| next.out - seg.out);
            let end = seg.orig.saturating_add(len);
            let at = outer.segs.partition_point(|o| o.out <= seg.orig);
            let mut start = seg.orig;
            let mut k = at.saturating_sub(1);
            loop {
                let (orig, verbatim) = match outer.segs.get(k) {
                    Some(o) if o.out <= start => (
                        if o.verbatim {
                            o.orig + (start - o.out)
                        } else {
                            o.orig
                        },
                        o.verbatim,
                    ),
                    _ => (start, true),
                };
                out.push(seg.out + (start - seg.orig), orig, verbatim);
                k += 1;
                match outer.segs.get(k) {
                    Some(o) if o.out < end => start = o.out,
                    _ => break,
                }
            }
        }
        out
    }

    pub(super) fn push(&mut self, out: usize, orig: usize, verbatim: bool) {
        let seg = Seg {
            out,
            orig,
            verbatim,
        };
        match self.segs.last_mut() {
            Some(last) if last.out == out => *last = seg,
            _ => self.segs.push(seg),
        }
    }
}
